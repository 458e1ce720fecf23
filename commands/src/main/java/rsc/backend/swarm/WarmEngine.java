package rsc.backend.swarm;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One engine's slow-changing answers ({@code /_ping}, {@code /version}, {@code /info}, the services and swarm nodes
 * listings), kept between a resident console's one-shots so that a one-shot asks the engine only for its tasks.
 * A manager's event stream carries an event for every change to a swarm service or node (the engine logs each
 * store update of either, state, role, availability and leadership included), so the answers are kept only while
 * this engine's stream is open, and all of them are forgotten at its next event, when it breaks, and when any
 * request to the engine fails. Tasks are never kept: a task's state changes on a worker are no event here.
 */
final class WarmEngine implements AutoCloseable {

    /** Engine events that may change a kept answer (a daemon event is a reload of the engine's configuration). */
    static final String EVENT_TYPES = "{\"type\":[\"service\",\"node\",\"daemon\"]}";
    /**
     * How far before the engine's clock the stream starts: it subscribes only after it has sent its headers, and
     * replays what it logged since then; cluster events carry the leader's time, so this also covers a skewed clock.
     */
    static final Duration REPLAY = Duration.ofSeconds(60);
    private static final int MAX_ENTRIES = 64;
    private static final long MAX_BACKOFF_MS = 5000;

    private final String host;
    private final URI uri;
    private final Map<String, PlainEngine.Reply> entries = new HashMap<>();
    private final Thread watcher;
    private long generation;
    private boolean live;
    private boolean closed;
    private AutoCloseable stream;

    private WarmEngine(String host) {
        this.host = host;
        this.uri = URI.create(host);
        this.watcher = new Thread(this::watch, "rsc-engine-events");
        watcher.setDaemon(true);
    }

    /** Starts watching the engine at {@code host} (a unix or plain tcp address: {@link EngineProbe#handles}). */
    static WarmEngine watching(String host) {
        WarmEngine w = new WarmEngine(host);
        w.watcher.start();
        return w;
    }

    /** Whether an answer to {@code path} may be kept: never a task listing, nor anything but the reads named above. */
    static boolean keeps(String path) {
        String p = path.replaceFirst("^/v[0-9.]+/", "/");
        return p.equals("/_ping") || p.equals("/version") || p.equals("/info") || p.startsWith("/services")
                || p.startsWith("/nodes");
    }

    /** The kept answer to {@code path}, while the stream is open. */
    synchronized Optional<PlainEngine.Reply> kept(String path) {
        return live ? Optional.ofNullable(entries.get(path)) : Optional.empty();
    }

    /** Taken before a request is sent: its answer is kept only if nothing happened in between ({@link #keep}). */
    synchronized long mark() {
        return live ? generation : -1;
    }

    synchronized void keep(String path, PlainEngine.Reply reply, long mark) {
        if (live && mark == generation && reply.status() == 200 && keeps(path)) {
            if (entries.size() >= MAX_ENTRIES) {
                entries.clear();
            }
            entries.put(path, reply);
        }
    }

    /** Forgets every kept answer (an event, a failed request). */
    synchronized void forget() {
        generation++;
        entries.clear();
    }

    /** The paths whose answers are kept now (tests look). */
    synchronized java.util.Set<String> keptPaths() {
        return java.util.Set.copyOf(entries.keySet());
    }

    /** Whether the stream is open, so that answers are kept (tests wait for it). */
    synchronized boolean live() {
        return live;
    }

    /** Counts the events and breaks seen (tests wait for one). */
    synchronized long generation() {
        return generation;
    }

    private synchronized void live(boolean on) {
        live = on && !closed;
        if (!on) {
            stream = null;
        }
        generation++;
        entries.clear();
    }

    private void watch() {
        long backoff = 100;
        while (!isClosed()) {
            try (Connection s = open()) {
                live(true);
                backoff = 100;
                byte[] buf = new byte[8192];
                while (s.in().read(buf) >= 0) {
                    forget();   // an event (or part of one): whatever it changed, nothing kept stays
                }
            } catch (IOException | RuntimeException e) {
                // the engine is gone or restarting; nothing is kept until the stream is open again
            } finally {
                live(false);
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                return;
            }
            backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        }
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    /** The event stream, its headers read and its body to follow. */
    private Connection open() throws IOException {
        String since;
        try (PlainEngine plain = new PlainEngine(host)) {
            since = since(plain.answer("/_ping", SwarmGateway.RESPONSE_TIMEOUT).head());
        }
        String path = "/events?since=" + since + "&filters=" + URLEncoder.encode(EVENT_TYPES, StandardCharsets.UTF_8);
        Connection c = connect();
        try {
            c.send(path);
            String head = PlainEngine.head(c.in());
            if (!head.startsWith("HTTP/1.") || !head.substring(9).startsWith("200")) {
                throw new IOException("the engine refused its event stream: " + head.lines().findFirst().orElse(""));
            }
            return c;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** The engine's clock ({@code Date} header) less {@link #REPLAY}, in seconds, as {@code since} takes it. */
    static String since(String head) {
        String date = PlainEngine.header(head, "date");
        if (date.isEmpty()) {
            throw new IllegalStateException("the engine sent no Date header");
        }
        ZonedDateTime t = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME);
        return Long.toString(t.toEpochSecond() - REPLAY.toSeconds());
    }

    /** A connection to the engine, registered so that {@link #close} ends a blocked read on it. */
    private record Connection(AutoCloseable closer, InputStream in, java.io.OutputStream out, SocketChannel channel)
            implements AutoCloseable {
        void send(String path) throws IOException {
            byte[] request = ("GET " + path + " HTTP/1.0\r\nHost: docker\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            if (channel != null) {
                channel.write(ByteBuffer.wrap(request));
            } else {
                out.write(request);
                out.flush();
            }
        }

        @Override
        public void close() {
            try {
                closer.close();
            } catch (Exception ignored) {
                // closing
            }
        }
    }

    private Connection connect() throws IOException {
        Connection c;
        if ("unix".equals(uri.getScheme())) {
            SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(uri.getPath()));
            c = new Connection(ch, Channels.newInputStream(ch), null, ch);
        } else {
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 2375 : uri.getPort()),
                        (int) SwarmGateway.CONNECT_TIMEOUT.toMillis());
                s.setKeepAlive(true);
                c = new Connection(s, s.getInputStream(), s.getOutputStream(), null);
            } catch (IOException e) {
                s.close();
                throw e;
            }
        }
        synchronized (this) {
            if (closed) {
                c.close();
                throw new IOException("closed");
            }
            stream = c.closer();
        }
        return c;
    }

    @Override
    public void close() {
        AutoCloseable s;
        synchronized (this) {
            closed = true;
            live = false;
            generation++;
            entries.clear();
            s = stream;
        }
        watcher.interrupt();
        if (s != null) {
            try {
                s.close();
            } catch (Exception ignored) {
                // closing
            }
        }
    }
}

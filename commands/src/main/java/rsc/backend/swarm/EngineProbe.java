package rsc.backend.swarm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The quick question {@code --backend auto} asks before anything else is loaded: does an engine answer, and is it an
 * active swarm manager? A bare HTTP/1.0 {@code GET /info} over the socket, so a cold JVM answers well within the
 * limit (docker-java, its HTTP client and Jackson take longer than that just to load). TLS hosts go through
 * docker-java instead.
 */
final class EngineProbe {

    private static final Pattern ACTIVE = Pattern.compile("\"LocalNodeState\"\\s*:\\s*\"active\"");
    private static final Pattern CONTROL = Pattern.compile("\"ControlAvailable\"\\s*:\\s*true");

    private EngineProbe() {
    }

    static boolean isSwarmManager(String host, Duration limit) {
        return within(limit, () -> {
            String body = info(host, limit);
            return body != null && ACTIVE.matcher(body).find() && CONTROL.matcher(body).find();
        });
    }

    /**
     * True within about {@code limit} when the engine at {@code dockerHost} (or the default socket) answers as an active
     * swarm manager: from what {@code watch} keeps of it when it keeps its {@code /info}, by a bare {@code GET /info},
     * or through docker-java for a TLS host. Never throws.
     */
    static boolean answersAsManager(Optional<String> dockerHost, Optional<EngineWatch> watch, Duration limit) {
        String host = dockerHost.filter(h -> !h.isBlank()).orElse(SwarmGateway.DEFAULT_HOST);
        try {
            Optional<WarmEngine> warm = watch.flatMap(w -> w.engine(host));
            if (warm.isPresent()) {
                return isSwarmManager(host, warm.get(), limit);
            }
            return handles(host) ? isSwarmManager(host, limit) : EngineHttp.probe(dockerHost, limit);
        } catch (IllegalArgumentException e) {
            return false;   // not a URI
        }
    }

    /** As {@link #isSwarmManager(String, Duration)}, its {@code /info} the one {@code warm} keeps when it keeps one. */
    private static boolean isSwarmManager(String host, WarmEngine warm, Duration limit) {
        return within(limit, () -> {
            try (PlainEngine plain = new PlainEngine(host, Optional.of(warm))) {
                return activeManager(plain.get("read the engine's info", "/info", limit, false));
            }
        });
    }

    /** Whether an engine's {@code /info} says it is an active swarm manager. */
    static boolean activeManager(com.fasterxml.jackson.databind.JsonNode info) {
        var swarm = info.path("Swarm");
        return "active".equals(swarm.path("LocalNodeState").asText()) && swarm.path("ControlAvailable").asBoolean(false);
    }

    /** Runs a check on a daemon thread and waits at most {@code limit}: false when it fails, throws or is late. */
    static boolean within(Duration limit, java.util.concurrent.Callable<Boolean> check) {
        ExecutorService one = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "rsc-swarm-probe");
            t.setDaemon(true);
            return t;
        });
        try {
            Future<Boolean> f = one.submit(check);
            return Boolean.TRUE.equals(f.get(limit.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        } finally {
            one.shutdownNow();
        }
    }

    /** The raw {@code /info} response, or null when the host is not a plain unix or tcp address. */
    private static String info(String host, Duration limit) throws IOException {
        URI uri = URI.create(host);
        byte[] request = "GET /info HTTP/1.0\r\nHost: docker\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        if ("unix".equals(uri.getScheme())) {
            try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(uri.getPath()))) {
                ch.write(ByteBuffer.wrap(request));
                return readAll(Channels.newInputStream(ch));
            }
        }
        if ("tcp".equals(uri.getScheme()) && !"1".equals(System.getenv("DOCKER_TLS_VERIFY"))) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 2375 : uri.getPort()),
                        (int) limit.toMillis());
                s.setSoTimeout((int) limit.toMillis());
                OutputStream out = s.getOutputStream();
                out.write(request);
                out.flush();
                return readAll(s.getInputStream());
            }
        }
        return null;
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        in.transferTo(b);
        String text = b.toString(StandardCharsets.UTF_8);
        return text.startsWith("HTTP/1.") && text.substring(9).startsWith("200") ? text : null;
    }

    /** Whether this probe can answer for the host without docker-java. */
    static boolean handles(String host) {
        String scheme = URI.create(host).getScheme();
        return "unix".equals(scheme) || ("tcp".equals(scheme) && !"1".equals(System.getenv("DOCKER_TLS_VERIFY")));
    }
}

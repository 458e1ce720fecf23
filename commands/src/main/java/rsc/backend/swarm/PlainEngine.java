package rsc.backend.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import rsc.error.RscException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The engine's reads as plain Engine API GETs of its JSON: {@code /version}, {@code /info} and the listings of services,
 * tasks and swarm nodes that {@code status}, {@code sentinel status} and {@code doctor} need. A one-shot asks only
 * these, and building docker-java (its HTTP client, its object mapper, its beans) costs a cold JVM more than the
 * answers themselves, so reads never wait for it: a bare HTTP/1.0 request over the unix socket or plain TCP, or
 * docker-java's transport alone for a TLS host. Failures are worded as {@link DockerErrors} words docker-java's.
 */
final class PlainEngine implements AutoCloseable {


    private final String host;
    private final URI uri;
    private final boolean bare;
    private final Optional<WarmEngine> warm;
    private DockerHttpClient tls;

    PlainEngine(String host) {
        this(host, Optional.empty());
    }

    /** With {@code warm}, the answers it keeps come from it ({@link WarmEngine}); a bare host only. */
    PlainEngine(String host, Optional<WarmEngine> warm) {
        this.host = host;
        this.uri = URI.create(host);
        this.bare = EngineProbe.handles(host);
        this.warm = bare ? warm : Optional.empty();
    }

    /** A filter query ({@code ?filters={"label":["k=v"]}}) as docker-java writes it; empty for no filter. */
    static String filters(String key, List<String> values) {
        if (values.isEmpty()) {
            return "";
        }
        StringBuilder json = new StringBuilder("{").append(quoted(key)).append(":[");
        for (int i = 0; i < values.size(); i++) {
            json.append(i == 0 ? "" : ",").append(quoted(values.get(i)));
        }
        return "?filters=" + URLEncoder.encode(json.append("]}").toString(), StandardCharsets.UTF_8);
    }

    /** A JSON string (written by hand: Jackson's serializers cost a cold one-shot more than the whole request). */
    static String quoted(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    /**
     * GETs {@code path} within {@code limit}: its JSON, else one line naming {@code what}; the engine's "no leader"
     * answers as {@link SwarmControlLost}, and, when {@code listing}, no answer in time too (as {@link SwarmGateway}'s).
     */
    JsonNode get(String what, String path, Duration limit, boolean listing) {
        return get(what, path, limit, listing, java.util.Set.of());
    }

    /**
     * As {@link #get(String, String, Duration, boolean)}, leaving out the fields named {@code skipped} of each object of
     * a listing (a task's {@code Spec} repeats its service's, the node script included: most of a task listing).
     */
    JsonNode get(String what, String path, Duration limit, boolean listing, java.util.Set<String> skipped) {
        byte[] body;
        int status;
        try {
            Reply reply = bare ? fetch(path, limit) : tlsGet(path);
            status = reply.status();
            body = reply.body();
        } catch (IOException | RuntimeException e) {
            warm.ifPresent(WarmEngine::forget);
            if (listing && DockerErrors.reason(e).startsWith("timed out")) {
                throw new SwarmControlLost(what, "no answer from this manager within " + limit.toSeconds() + " s", e);
            }
            throw new RscException("cannot reach the Docker Engine at " + host + ": " + DockerErrors.reason(e), e);
        }
        if (status / 100 != 2) {
            warm.ifPresent(WarmEngine::forget);   // whatever changed (a lost leader, a node that left), ask afresh
            String message = DockerErrors.engineMessage(new String(body, StandardCharsets.UTF_8));
            if (SwarmControlLost.says(message)) {
                throw SwarmControlLost.fromEngine(what, message, null);
            }
            throw new RscException("docker: cannot " + what + ": " + message);
        }
        try {
            return EngineTrees.parse(body, skipped);
        } catch (IOException e) {
            throw new RscException("docker: cannot " + what + ": the engine's answer is not JSON ("
                    + DockerErrors.reason(e) + ")", e);
        }
    }

    /** The engine's API version and its own version. */
    record Versions(String api, String engine) {
    }

    /**
     * What the docker CLI negotiates with: {@code /_ping}'s {@code Api-Version} and {@code Server: Docker/VERSION (os)}
     * headers, which the engine answers at once, where {@code /version} takes it about 10 ms here. Empty when it does
     * not answer so (a TLS host, an older engine, a proxy): {@code /version} is asked then.
     */
    Optional<Versions> ping() {
        if (!bare) {
            return Optional.empty();
        }
        try {
            Reply r = fetch("/_ping", SwarmGateway.RESPONSE_TIMEOUT);
            String api = header(r.head(), "api-version");
            String server = header(r.head(), "server");
            if (r.status() != 200 || api.isEmpty() || !server.startsWith("Docker/")) {
                return Optional.empty();
            }
            int space = server.indexOf(' ');
            return Optional.of(new Versions(api, server.substring("Docker/".length(), space < 0 ? server.length() : space)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();   // /version then says what is wrong
        }
    }

    /** A header's value in a response's head, or empty. */
    static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return "";
    }

    /** An answer: status, head (status line and headers; empty over TLS) and body. */
    record Reply(int status, String head, byte[] body) {
    }

    /** A bare GET's whole answer, kept by no one (the engine watch reads the engine's clock from its head). */
    Reply answer(String path, Duration limit) throws IOException {
        return bareGet(path, limit);
    }

    /** A GET the warm engine may answer, and whose answer it may keep. */
    private Reply fetch(String path, Duration limit) throws IOException {
        if (warm.isEmpty() || !WarmEngine.keeps(path)) {
            return bareGet(path, limit);
        }
        WarmEngine w = warm.get();
        Optional<Reply> kept = w.kept(path);
        if (kept.isPresent()) {
            return kept.get();
        }
        long mark = w.mark();
        Reply r = bareGet(path, limit);
        w.keep(path, r, mark);
        return r;
    }

    private Reply bareGet(String path, Duration limit) throws IOException {
        byte[] request = ("GET " + path + " HTTP/1.0\r\nHost: docker\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        if ("unix".equals(uri.getScheme())) {
            AtomicBoolean late = new AtomicBoolean();
            try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(uri.getPath()))) {
                // a unix channel has no read timeout: close it when the limit passes, which ends the blocked read
                CompletableFuture<Void> watchdog = CompletableFuture.runAsync(() -> {
                    late.set(true);
                    closeQuietly(ch);
                }, CompletableFuture.delayedExecutor(limit.toMillis(), TimeUnit.MILLISECONDS));
                try {
                    ch.write(ByteBuffer.wrap(request));
                    return response(Channels.newInputStream(ch));
                } catch (IOException e) {
                    throw late.get() ? new SocketTimeoutException("no answer within " + limit.toMillis() + " ms") : e;
                } finally {
                    watchdog.cancel(false);
                }
            }
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 2375 : uri.getPort()),
                    (int) SwarmGateway.CONNECT_TIMEOUT.toMillis());
            s.setSoTimeout((int) limit.toMillis());
            OutputStream out = s.getOutputStream();
            out.write(request);
            out.flush();
            return response(s.getInputStream());
        }
    }

    /** An HTTP/1.0 response read to its end: the status, and the body (de-chunked should the engine chunk it). */
    private static Reply response(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        in.transferTo(b);
        byte[] all = b.toByteArray();
        String head = new String(all, 0, Math.min(all.length, 8192), StandardCharsets.ISO_8859_1);
        int end = head.indexOf("\r\n\r\n");
        if (!head.startsWith("HTTP/1.") || end < 0 || head.length() < 12) {
            throw new IOException("not an HTTP answer");
        }
        int status = Integer.parseInt(head.substring(9, 12));
        byte[] body = java.util.Arrays.copyOfRange(all, end + 4, all.length);
        boolean chunked = head.substring(0, end).toLowerCase(java.util.Locale.ROOT)
                .contains("\r\ntransfer-encoding: chunked");
        return new Reply(status, head.substring(0, end), chunked ? dechunk(body) : body);
    }

    /** A response's status line and headers, read up to the blank line and no further (a stream's body follows). */
    static String head(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        int matched = 0;
        while (matched < 4 && (c = in.read()) >= 0) {
            b.write(c);
            matched = c == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : (c == '\r' ? 1 : 0);
            if (b.size() > 65536) {
                throw new IOException("an HTTP head without its end");
            }
        }
        if (matched < 4) {
            throw new IOException("the engine closed the connection");
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    private static byte[] dechunk(byte[] body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (at < body.length) {
            int eol = indexOfCrlf(body, at);
            if (eol < 0) {
                throw new IOException("a chunk without its size");
            }
            String size = new String(body, at, eol - at, StandardCharsets.US_ASCII).split(";", 2)[0].trim();
            int n = Integer.parseInt(size, 16);
            if (n == 0) {
                break;
            }
            out.write(body, eol + 2, n);
            at = eol + 2 + n + 2;
        }
        return out.toByteArray();
    }

    private static int indexOfCrlf(byte[] b, int from) {
        for (int i = from; i + 1 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** A TLS host: docker-java's transport (not its client), built on the first read. */
    private Reply tlsGet(String path) throws IOException {
        DockerHttpClient c;
        synchronized (this) {
            if (tls == null) {
                DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                        .withDockerHost(host).build();
                tls = new ZerodepDockerHttpClient.Builder().dockerHost(uri).sslConfig(config.getSSLConfig())
                        .connectionTimeout(SwarmGateway.CONNECT_TIMEOUT).responseTimeout(SwarmGateway.RESPONSE_TIMEOUT)
                        .build();
            }
            c = tls;
        }
        DockerHttpClient.Request req = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.GET).path(path).build();
        try (DockerHttpClient.Response r = c.execute(req); InputStream body = r.getBody()) {
            return new Reply(r.getStatusCode(), "", body.readAllBytes());
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing
        }
    }

    @Override
    public synchronized void close() {
        if (tls != null) {
            closeQuietly(tls);
            tls = null;
        }
    }
}

package rsc.backend.swarm;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** A stub of the Docker Engine API on a loopback port: each request answered with the JSON a test's function gives. */
final class StubEngine implements AutoCloseable {

    /** One answer: HTTP status, JSON body and extra headers. */
    record Reply(int status, String json, java.util.Map<String, String> headers) {
        Reply(int status, String json) {
            this(status, json, java.util.Map.of());
        }
    }

    @FunctionalInterface
    interface Answers {
        Reply answer(HttpExchange request) throws IOException;
    }

    private final HttpServer server;

    StubEngine(Answers answers) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            Reply r = answers.answer(ex);
            byte[] b = r.json().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            r.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
            ex.sendResponseHeaders(r.status(), b.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(b);
            }
        });
        server.start();
    }

    /** {@code /version} and {@code /info} as an engine in the given swarm state answers them; empty for other paths. */
    static java.util.Optional<Reply> engineInfo(String path, String localNodeState, boolean controlAvailable) {
        if (path.endsWith("/version")) {
            return java.util.Optional.of(new Reply(200, "{\"Version\":\"24.0.0\",\"ApiVersion\":\"1.43\"}"));
        }
        if (path.endsWith("/info")) {
            return java.util.Optional.of(new Reply(200, "{\"Swarm\":{\"LocalNodeState\":\"" + localNodeState
                    + "\",\"ControlAvailable\":" + controlAvailable + ",\"NodeID\":\"stub\",\"NodeAddr\":\"127.0.0.1\"}}"));
        }
        return java.util.Optional.empty();
    }

    /**
     * An active manager answering {@code /_ping} with its version headers (when {@code ping}), the listings as given
     * ({@code tasks} by the decoded query), {@code /version} and {@code /info}; every request's path and decoded query
     * added to {@code asked}.
     */
    static StubEngine manager(java.util.List<String> asked, boolean ping, Reply services,
                              java.util.function.Function<String, Reply> tasks, String nodes) throws IOException {
        return new StubEngine(ex -> {
            String path = ex.getRequestURI().getPath();
            String query = ex.getRequestURI().getRawQuery();
            String decoded = query == null ? "" : java.net.URLDecoder.decode(query, StandardCharsets.UTF_8);
            asked.add(path + (decoded.isEmpty() ? "" : "?" + decoded));
            if (path.equals("/_ping") && ping) {
                return new Reply(200, "OK", java.util.Map.of("Api-Version", "1.41", "Server", "Docker/20.10.24+dfsg1 (linux)"));
            }
            if (path.endsWith("/services")) {
                return services;
            }
            if (path.endsWith("/tasks")) {
                return tasks.apply(decoded);
            }
            if (path.endsWith("/nodes")) {
                return new Reply(200, nodes);
            }
            return engineInfo(path, "active", true).orElse(new Reply(404, "{\"message\":\"page not found\"}"));
        });
    }

    /** The {@code DOCKER_HOST} that reaches it. */
    String host() {
        return "tcp://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

package rsc.backend.swarm;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What a resident console keeps warm between one-shots on Swarm ({@link EngineWatch}, {@link WarmEngine}), against a
 * stub of the Engine API with an event stream the test writes to: the engine's info and its services and swarm nodes
 * listings are asked once while the stream is open, its tasks every time; an event, a broken stream, a failed
 * request, and an event that comes while a read is on its way each leave nothing kept.
 */
class WarmEngineUnitTests {

    private static final String EVENT = "{\"Type\":\"service\",\"Action\":\"update\",\"Actor\":{\"ID\":\"s1\"}}\n";
    private static final String CLOSE = "close";

    private HttpServer server;
    private ExecutorService handlers;
    private final Map<String, AtomicInteger> asked = new ConcurrentHashMap<>();
    private final List<String> eventQueries = new CopyOnWriteArrayList<>();
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private volatile boolean refuseEvents;
    private volatile boolean tasksFail;
    private volatile CountDownLatch holdServices;
    private final ZonedDateTime clock = ZonedDateTime.of(2026, 12, 1, 5, 0, 0, 0, ZoneOffset.UTC);
    /** The Date header the engine last sent with {@code /_ping} (the stub's server may set its own). */
    private volatile String pingDate;
    private EngineWatch watch;
    private String host;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        handlers = Executors.newCachedThreadPool();
        server.setExecutor(handlers);
        server.createContext("/", this::answer);
        server.start();
        host = "tcp://127.0.0.1:" + server.getAddress().getPort();
        watch = new EngineWatch();
    }

    @AfterEach
    void stop() {
        watch.close();
        events.add(CLOSE);
        server.stop(0);
        handlers.shutdownNow();
    }

    private void answer(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String query = ex.getRequestURI().getRawQuery();
        String key = path.replaceFirst("^/v[0-9.]+/", "/");
        asked.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        ex.getResponseHeaders().add("Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(clock));
        if (key.equals("/events")) {
            eventQueries.add(URLDecoder.decode(query, StandardCharsets.UTF_8));
            if (refuseEvents) {
                send(ex, 503, "{\"message\":\"no events here\"}");
                return;
            }
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                out.flush();
                for (String e = events.take(); !e.equals(CLOSE); e = events.take()) {
                    out.write(e.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            } catch (InterruptedException | IOException e) {
                // the test is over, or the watcher went away
            }
            return;
        }
        switch (key) {
            case "/_ping" -> {
                ex.getResponseHeaders().add("Api-Version", "1.41");
                ex.getResponseHeaders().add("Server", "Docker/20.10.24+dfsg1 (linux)");
                send(ex, 200, "OK");
                pingDate = ex.getResponseHeaders().getFirst("Date");
            }
            case "/info" -> send(ex, 200, "{\"Swarm\":{\"LocalNodeState\":\"active\",\"ControlAvailable\":true,"
                    + "\"NodeID\":\"stub\",\"NodeAddr\":\"127.0.0.1\"}}");
            case "/services" -> {
                CountDownLatch hold = holdServices;
                if (hold != null) {
                    holdServices = null;
                    try {
                        hold.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                send(ex, 200, fixture("services"));
            }
            case "/tasks" -> send(ex, tasksFail ? 503 : 200, tasksFail
                    ? "{\"message\":\"rpc error: code = Unknown desc = The swarm does not have a leader.\"}" : fixture("tasks"));
            case "/nodes" -> send(ex, 200, fixture("nodes"));
            default -> send(ex, 404, "{\"message\":\"page not found\"}");
        }
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    private static String fixture(String name) throws IOException {
        try (InputStream in = WarmEngineUnitTests.class.getResourceAsStream("engine-" + name + ".json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private int asked(String key) {
        return asked.getOrDefault(key, new AtomicInteger()).get();
    }

    private WarmEngine warm() {
        return watch.engine(host).orElseThrow();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("not within 10 s: " + what);
            }
            Thread.sleep(5);
        }
    }

    /** A one-shot's reads: a gateway of its own (ping, info), its group's services, their tasks, the swarm nodes. */
    private void oneShot() {
        try (SwarmGateway g = SwarmGateway.open(Optional.of(host), Optional.of(watch))) {
            g.services(Map.of(SwarmBackend.MANAGED, "true"));
            g.tasks(List.of("x-redis-1"), Map.of("s1", "x-redis-1"));
            g.swarmNodes();
        }
    }

    private void warmUp() throws InterruptedException {
        WarmEngine w = warm();
        await("the event stream is open", w::live);
        oneShot();   // fills what is kept
        asked.clear();
    }

    @Test
    void infoServicesAndNodesAreAskedOnceWhileTheStreamIsOpenTasksEveryTime() throws InterruptedException {
        warmUp();
        oneShot();
        oneShot();
        assertEquals(0, asked("/_ping") + asked("/info") + asked("/services") + asked("/nodes"), asked.toString());
        assertEquals(2, asked("/tasks"), "tasks are read afresh each time");
    }

    @Test
    void theStreamAsksForServiceNodeAndDaemonEventsFromAMinuteBeforeTheEnginesClock() throws InterruptedException {
        await("the event stream is open", warm()::live);
        String q = eventQueries.get(0);
        long engineClock = ZonedDateTime.parse(pingDate, DateTimeFormatter.RFC_1123_DATE_TIME).toEpochSecond();
        assertTrue(q.contains("since=" + (engineClock - 60) + "&"), q + " (the engine's clock: " + pingDate + ")");
        assertTrue(q.contains("filters={\"type\":[\"service\",\"node\",\"daemon\"]}"), q);
    }

    @Test
    void anEventForgetsWhatWasKept() throws InterruptedException {
        warmUp();
        long before = warm().generation();
        events.add(EVENT);
        await("the event is seen", () -> warm().generation() > before);
        oneShot();
        assertEquals(1, asked("/info"));
        assertEquals(1, asked("/services"));
        assertEquals(1, asked("/nodes"));
        oneShot();
        assertEquals(1, asked("/services"), "kept again after the event");
    }

    @Test
    void nothingIsKeptWhileTheStreamIsBroken() throws InterruptedException {
        warmUp();
        refuseEvents = true;
        events.add(CLOSE);
        await("the stream is seen to break", () -> !warm().live());
        oneShot();
        oneShot();
        assertEquals(2, asked("/info"));
        assertEquals(2, asked("/services"));
        assertEquals(2, asked("/nodes"));
        refuseEvents = false;
        await("the stream is open again", warm()::live);
        oneShot();
        asked.clear();
        oneShot();
        assertEquals(0, asked("/services"), "kept again once the stream is back");
    }

    @Test
    void aFailedRequestForgetsWhatWasKept() throws InterruptedException {
        warmUp();
        tasksFail = true;
        assertThrows(SwarmControlLost.class, this::oneShot);
        tasksFail = false;
        asked.clear();
        oneShot();
        assertEquals(1, asked("/info"), "after a failure every answer is asked afresh");
        assertEquals(1, asked("/services"));
    }

    @Test
    void anAnswerOnItsWayWhenAnEventComesIsNotKept() throws Exception {
        await("the event stream is open", warm()::live);
        CountDownLatch hold = new CountDownLatch(1);
        holdServices = hold;
        Thread reader = new Thread(this::oneShot);
        reader.start();
        await("the services are asked", () -> asked("/services") == 1);
        long before = warm().generation();
        events.add(EVENT);
        await("the event is seen", () -> warm().generation() > before);
        hold.countDown();
        reader.join(10_000);
        asked.clear();
        oneShot();
        assertEquals(1, asked("/services"), "an answer older than the event is not kept");
        assertEquals(1, asked("/info"), "what was kept before the event is forgotten too");
    }

    @Test
    void onlyPingVersionInfoServicesAndNodesAreEverKept() {
        for (String p : List.of("/_ping", "/version", "/info", "/v1.41/services?filters=x", "/v1.41/nodes", "/services")) {
            assertTrue(WarmEngine.keeps(p), p);
        }
        for (String p : List.of("/v1.41/tasks", "/v1.41/tasks?filters=x", "/v1.41/secrets", "/v1.41/networks",
                "/containers/json", "/v1.41/info/x", "/events")) {
            assertFalse(WarmEngine.keeps(p), p);
        }
    }

    @Test
    void aClosedWatchKeepsNothingAndEndsItsStream() throws InterruptedException {
        WarmEngine w = warm();
        await("the event stream is open", w::live);
        watch.close();
        assertFalse(w.live());
        assertTrue(watch.engine(host).isEmpty(), "a closed watch hands out no engine");
        oneShot();
        oneShot();
        assertEquals(2, asked("/services"), "each one-shot asks the engine");
        assertEquals(2, asked("/info"));
    }
}

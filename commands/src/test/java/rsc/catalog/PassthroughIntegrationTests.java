package rsc.catalog;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import rsc.model.Node;
import rsc.session.Outcome;
import rsc.testing.LocalTestBed;
import rsc.testing.RecordingInteraction;
import rsc.testing.RedisCli;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static rsc.testing.Sleep.sleep;

/**
 * Issue 12 item 1: the {@code redis} passthrough is a client of its own, as redis-cli is. MULTI, SELECT, SUBSCRIBE,
 * MONITOR and blocking commands behave as they do in redis-cli, and none of it touches the connections rsc's own
 * operations use. A master and one replica on the local backend.
 */
@Tag("integration")
class PassthroughIntegrationTests {

    private static LocalTestBed bed;
    private static final String G = "passthru";

    @BeforeAll
    static void group() throws Exception {
        bed = new LocalTestBed();
        int base = LocalTestBed.freePorts(10);
        bed.ok("create-master " + G + " --port " + base);
        bed.ok("scale slaves 1 --port " + (base + 1));
    }

    @AfterAll
    static void cleanup() throws Exception {
        bed.close();
    }

    private static String text(Outcome o) {
        return String.join("\n", RecordingInteraction.render(o.result()));
    }

    private static Node master() {
        return bed.engine().session().backend().nodes(G).stream().filter(n -> n.isRedis() && n.index() == 1)
                .findFirst().orElseThrow();
    }

    private static String cli(String... args) {
        Optional<String> pw = bed.engine().session().passwords().of(G).map(s -> s.reveal());
        return RedisCli.run(master().reach(), pw, args);
    }

    @Test
    void multiQueuesOnThePassthroughOnlyAndExecRunsIt() {
        bed.ok("redis MULTI");
        Outcome queued = bed.ok("redis SET tx:a 1");
        assertEquals("info: QUEUED", text(queued));
        // rsc's own reads of the same node answer as ever while the operator's transaction is open
        Outcome status = bed.ok("status " + G);
        assertTrue(text(status).contains("1 replica"), text(status));
        assertEquals("master", bed.engine().session().redis().node(master().announced()).replication().role().name().toLowerCase());
        assertEquals("(TX)", bed.engine().session().passthrough().marker(G).orElseThrow());
        Outcome exec = bed.ok("redis EXEC");
        assertEquals("info: 1) OK", text(exec));
        assertEquals("\"1\"", cli("--no-raw", "GET", "tx:a"));
        assertTrue(bed.engine().session().passthrough().marker(G).isEmpty());
    }

    @Test
    void selectSticksOnThePassthroughOnlyAndIsShown() {
        try {
            bed.ok("redis SELECT 1");
            assertEquals("[1]", bed.engine().session().passthrough().marker(G).orElseThrow());
            bed.ok("redis SET only:in:db1 x");
            assertEquals("info: (integer) 1", text(bed.ok("redis DBSIZE")));
            assertEquals("\"x\"", cli("--no-raw", "-n", "1", "GET", "only:in:db1"));
            assertEquals("(nil)", cli("--no-raw", "-n", "0", "GET", "only:in:db1"));
            // rsc's own connection stays in db 0
            assertEquals(null, bed.engine().session().redis().node(master().announced()).get("only:in:db1"));
        } finally {
            bed.ok("redis SELECT 0");
        }
        assertTrue(bed.engine().session().passthrough().marker(G).isEmpty());
    }

    @Test
    void subscribeStreamsMessagesUntilItsDuration() throws Exception {
        CompletableFuture<Outcome> sub = CompletableFuture.supplyAsync(() -> bed.engine().execute("redis --for 3s SUBSCRIBE news"));
        String receivers = "0";
        for (int i = 0; i < 40 && receivers.equals("0"); i++) {
            sleep(100);
            receivers = cli("PUBLISH", "news", "hello world");
        }
        assertEquals("1", receivers, "the passthrough subscribed");
        Outcome o = sub.get(10, TimeUnit.SECONDS);
        assertTrue(o.ok(), String.valueOf(o.error()));
        List<String> shown = bed.ui().lines();
        assertTrue(shown.stream().anyMatch(l -> l.contains("3) \"hello world\"")), shown.toString());
        assertTrue(text(o).contains("stopped after 3 s"), text(o));
        // and the passthrough still answers afterwards
        assertEquals("info: PONG", text(bed.ok("redis PING")));
    }

    @Test
    void aBlockingCommandWaitsForItsReplyAndCtrlCStopsIt() throws Exception {
        CompletableFuture<Outcome> pop = CompletableFuture.supplyAsync(() -> bed.engine().execute("redis --for 10s BLPOP jobs 0"));
        sleep(500);
        assertFalse(pop.isDone(), "BLPOP blocks");
        cli("RPUSH", "jobs", "one two");
        Outcome o = pop.get(5, TimeUnit.SECONDS);
        assertTrue(o.ok(), String.valueOf(o.error()));
        assertEquals("info: 1) \"jobs\"\ninfo: 2) \"one two\"", text(o));

        Thread worker = new Thread(() -> bed.engine().execute("redis BLPOP nothing 0"));
        long start = System.nanoTime();
        worker.start();
        sleep(300);
        worker.interrupt();     // what Ctrl-C does in the console
        worker.join(2000);
        assertFalse(worker.isAlive(), "Ctrl-C stops a blocking command");
        assertTrue(System.nanoTime() - start < 2_000_000_000L);
        assertEquals("info: PONG", text(bed.ok("redis PING")));
    }

    @Test
    void streamingNeedsForInScripts() {
        Outcome o = bed.fails("redis MONITOR");
        assertTrue(o.error().getMessage().contains("--for"), o.error().getMessage());
        assertTrue(bed.fails("redis BLPOP nothing 0").error().getMessage().contains("--for"));
        // a blocking command with a timeout of its own ends by itself: no --for needed (fault 4 runs WAIT so)
        assertEquals("info: (nil)", text(bed.ok("redis BLPOP nothing 0.2")));
        assertEquals("info: (integer) 1", text(bed.ok("redis WAIT 1 1000")));
        Outcome m = bed.ok("redis --for 1s MONITOR");
        assertTrue(text(m).contains("stopped after 1 s"), text(m));
    }

    @Test
    void valuesAreQuotedAsRedisCliQuotesThem() {
        bed.ok("redis DEL l");
        bed.ok("redis RPUSH l a \"b c\" \"\"");
        Outcome o = bed.ok("redis LRANGE l 0 -1");
        assertEquals("info: 1) \"a\"\ninfo: 2) \"b c\"\ninfo: 3) \"\"", text(o));
        assertEquals("info: (nil)", text(bed.ok("redis GET missing:key")));
    }
}

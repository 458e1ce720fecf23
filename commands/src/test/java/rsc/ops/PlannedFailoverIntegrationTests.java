package rsc.ops;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import rsc.model.Node;
import rsc.redis.FollowingWriter;
import rsc.testing.LocalTestBed;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A planned {@code failover} under an application's writes (issue 14): a writer that follows the master through the
 * sentinels, without {@code WAIT}, counts what was acknowledged; afterwards every acknowledged key must be on the
 * master. One local group (master, 2 replicas, 3 sentinels at down-after 2000 ms), the tests in order on it.
 */
@Tag("integration")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlannedFailoverIntegrationTests {

    private static final String G = "pf";
    private static LocalTestBed bed;

    @BeforeAll
    static void group() throws Exception {
        bed = new LocalTestBed();
        int base = LocalTestBed.freePorts(30);
        bed.ok("create-master " + G + " --port " + base);
        bed.ok("scale slaves 2 --port " + (base + 1));
        bed.ok("scale sentinels 3 --port " + (base + 20) + " --down-after 2000 --failover-timeout 10000");
    }

    @AfterAll
    static void cleanup() throws Exception {
        bed.close();
    }

    static FollowingWriter writer(String tag, int rate) {
        List<rsc.model.Endpoint> sentinels = bed.engine().session().backend().nodes(G).stream()
                .filter(Node::isSentinel).map(Node::announced).toList();
        return bed.engine().session().redis().followingWriter(G, sentinels, "rsc:test:" + tag + ":", rate,
                Duration.ofSeconds(3));
    }

    static String text(rsc.session.Outcome o) {
        return String.join("\n", rsc.testing.RecordingInteraction.render(o.result()));
    }

    /** The pause a failover reported ("writes paused N ms"), -1 when it reported none. */
    static long heldMs(String said) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("writes paused (\\d+) ms").matcher(said);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** Exactly one data node says role:master, and none keeps a write fence (min-replicas-to-write 10000+). */
    static void assertOneMasterNoFence() {
        int masters = 0;
        for (Node n : bed.engine().session().backend().nodes(G)) {
            if (!n.isRedis()) {
                continue;
            }
            var c = bed.engine().session().redis().node(n.announced());
            masters += c.replication().isMaster() ? 1 : 0;
            assertTrue(Integer.parseInt(c.configGet("min-replicas-to-write")) < 10_000, n.name() + " keeps a write fence");
        }
        assertEquals(1, masters, "one master");
    }

    @Test
    @Order(1)
    void failoversUnderWritesLoseNoAcknowledgedWrite() throws Exception {
        FollowingWriter w = writer("planned", 150).start();
        List<FollowingWriter.Write> done;
        try {
            Thread.sleep(1000);
            for (int i = 0; i < 3; i++) {
                String said = text(bed.ok("failover --timeout 30s"));
                System.out.println("FAILOVER " + said);
                long held = heldMs(said);
                assertTrue(held >= 0 && held <= 1000, "writes paused no longer than the bound (1000 ms): " + said);
                bed.ok("wait agreement --timeout 30s");
                assertOneMasterNoFence();
                Thread.sleep(1000);
            }
        } finally {
            done = w.stop();
        }
        FollowingWriter.Tally t = FollowingWriter.tally(done);
        int lost = w.lost(done, false);
        System.out.println(String.format(Locale.ROOT, "RELIABILITY planned failover x3 at 150/s: %d acknowledged, "
                + "%d failed, %d lost, longest without an acknowledged write %.2f s", t.acknowledged(), t.failed(), lost,
                t.longestWithoutAck().toMillis() / 1000.0));
        assertTrue(t.acknowledged() > 600, "the writer kept writing: " + t);
        assertEquals(0, lost, "acknowledged writes lost across 3 failovers (" + t + ")");
    }
}

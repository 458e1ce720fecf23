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

    @Test
    @Order(1)
    void failoversUnderWritesLoseNoAcknowledgedWrite() throws Exception {
        FollowingWriter w = writer("planned", 150).start();
        List<FollowingWriter.Write> done;
        try {
            Thread.sleep(1000);
            for (int i = 0; i < 3; i++) {
                bed.ok("failover --timeout 30s");
                bed.ok("wait agreement --timeout 30s");
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

package rsc.ops;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import rsc.backend.Backends;
import rsc.catalog.Catalog;
import rsc.model.Node;
import rsc.redis.PlainReads;
import rsc.redis.RedisGateway;
import rsc.redis.Replication;
import rsc.session.Engine;
import rsc.session.Outcome;
import rsc.backend.Settings;
import rsc.testing.LocalTestBed;
import rsc.testing.RecordingInteraction;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A one-shot reads a real group (master, 2 replicas, 3 sentinels, with a password) over plain sockets and must
 * report exactly the facts a session reads through Lettuce, without ever building the Lettuce client.
 */
@Tag("integration")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OneShotReadsIntegrationTests {

    private static final String G = "oneshot";
    private static LocalTestBed bed;

    @BeforeAll
    static void start() throws Exception {
        bed = new LocalTestBed();
        int base = LocalTestBed.freePorts(10);
        bed.ok("create-master " + G + " --port " + base);
        bed.ok("scale slaves 2 --port " + (base + 1));
        bed.ok("scale sentinels 3 --port " + (base + 4));
    }

    @AfterAll
    static void stop() throws Exception {
        bed.close();
    }

    /** A second console on the same state directory, as {@code rsc -c} makes it. */
    private static Engine oneShot() {
        return oneShot(bed.stateDir());
    }

    private static Engine oneShot(java.nio.file.Path stateDir) {
        Settings settings = Settings.fromEnvironment().withBackend("local").withStateDir(stateDir);
        Engine e = new Engine(settings, new RecordingInteraction(), Catalog.table(), Backends.factory(), GroupHealth::probe);
        e.session().console().oneShot(true);
        return e;
    }

    @Test
    @Order(1)
    void sentinelStatusGivesTheSameFactsOverPlainSocketsAsThroughLettuce() throws Exception {
        assertInstanceOf(RedisGateway.class, bed.engine().session().reads(), "a session reads through Lettuce");
        SentinelStatus.View lettuce = SentinelStatus.collect(bed.engine().session(), Group.require(bed.engine().session(), G));
        try (Engine one = oneShot()) {
            assertInstanceOf(PlainReads.class, one.session().reads());
            SentinelStatus.View plain = SentinelStatus.collect(one.session(), Group.require(one.session(), G));

            assertEquals(3, plain.sentinels().size());
            assertTrue(plain.agree(), "the sentinels agree");
            assertTrue(plain.quorumOk(), "CKQUORUM is OK");
            assertEquals(lettuce.masters(), plain.masters());
            assertEquals(lettuce.master().orElseThrow().address(), plain.master().orElseThrow().address());
            assertEquals(lettuce.master().orElseThrow().node().map(Node::name), plain.master().orElseThrow().node().map(Node::name));
            for (int i = 0; i < 3; i++) {
                var l = lettuce.sentinels().get(i);
                var p = plain.sentinels().get(i);
                assertEquals(l.sentinel().name(), p.sentinel().name());
                assertNull(p.error());
                var lm = l.master().orElseThrow();
                var pm = p.master().orElseThrow();
                assertEquals(lm.name(), pm.name());
                assertEquals(lm.address(), pm.address());
                assertEquals(lm.flags(), pm.flags());
                assertEquals(lm.quorum(), pm.quorum());
                assertEquals(lm.configEpoch(), pm.configEpoch());
                assertEquals(lm.otherSentinels(), pm.otherSentinels());
                assertEquals(lm.replicas(), pm.replicas());
                assertEquals(lm.downAfterMs(), pm.downAfterMs());
                assertEquals(lm.failoverTimeout(), pm.failoverTimeout());
                assertEquals(l.ckquorum(), p.ckquorum(), "the same CKQUORUM sentence");
            }
            assertEquals(2, plain.replicas().size());
            assertEquals(lettuce.replicas().stream().map(SentinelStatus.ReplicaView::address).sorted(
                    java.util.Comparator.comparing(Object::toString)).toList(),
                    plain.replicas().stream().map(SentinelStatus.ReplicaView::address).sorted(
                            java.util.Comparator.comparing(Object::toString)).toList());
            for (SentinelStatus.ReplicaView r : plain.replicas()) {
                assertTrue(r.node().isPresent(), "each replica is one of the group's nodes");
                assertTrue(r.linkUp());
                assertNotNull(r.lagBytes(), "the lag is known (the master's offset was read)");
                assertEquals(List.of("slave"), r.flags());
            }
            assertFalse(one.session().lettuceOpen(), "the one-shot never built the Lettuce client");
        }
    }

    @Test
    @Order(2)
    void statusAndSentinelStatusRunInAOneShotWithoutLettuce() throws Exception {
        try (Engine one = oneShot()) {
            Outcome s = one.execute("sentinel status " + G);
            assertTrue(s.ok(), () -> String.valueOf(s.error()));
            assertTrue(s.result().blocks().stream().anyMatch(b -> b instanceof rsc.result.Message m
                    && m.text().startsWith("all 3 sentinel(s) agree: master of " + G)), () -> s.result().blocks().toString());
            Outcome st = one.execute("status " + G);
            assertTrue(st.ok(), () -> String.valueOf(st.error()));
            GroupStatus.View view = GroupStatus.collect(one.session(), Group.require(one.session(), G));
            assertEquals(1, view.masters());
            assertEquals(2, view.redis().stream().filter(n -> n.replication().map(r -> !r.isMaster()).orElse(false)).count());
            assertEquals(java.util.Optional.of(1), view.minReplicasToWrite());
            Replication viaLettuce = bed.engine().session().redis()
                    .node(view.sentinels().master().orElseThrow().address()).replication();
            assertTrue(viaLettuce.isMaster());
            assertFalse(one.session().lettuceOpen(), "status and sentinel status never built the Lettuce client");
        }
    }

    @Test
    @Order(2)
    void doctorCkquorumExpectAndWaitRunInAOneShotWithoutLettuce() throws Exception {
        String master = bed.engine().session().backend().nodes(G).stream()
                .filter(n -> !n.isSentinel() && bed.engine().session().redis().node(n.announced()).replication().isMaster())
                .findFirst().orElseThrow().name();
        try (Engine one = oneShot()) {
            for (String line : List.of("sentinel ckquorum " + G, "doctor " + G, "expect quorum ok --group " + G,
                    "expect replicas 2 --group " + G, "expect doctor clean --group " + G, "expect role " + master + " master",
                    "wait master-up --group " + G, "wait agreement --group " + G)) {
                Outcome o = one.execute(line);
                assertTrue(o.ok(), () -> line + ": " + o.error() + " " + o.result().blocks());
                assertFalse(one.session().lettuceOpen(), "'" + line + "' read without building Lettuce");
            }
        }
    }

    @Test
    @Order(4)   // last: the paused sentinel takes a while to be counted as usable again
    void aStoppedSentinelIsReportedOnOneLineAndTheOthersStillAnswer() throws Exception {
        Node third = bed.engine().session().backend().nodes(G).stream().filter(Node::isSentinel)
                .reduce((a, b) -> b).orElseThrow();
        bed.ok("pause " + third.name());
        try (Engine one = oneShot()) {
            long t0 = System.nanoTime();
            SentinelStatus.View v = SentinelStatus.collect(one.session(), Group.require(one.session(), G));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            var paused = v.sentinels().stream().filter(s -> s.sentinel().name().equals(third.name())).findFirst().orElseThrow();
            assertTrue(paused.master().isEmpty());
            // the local backend knows a paused process is frozen (state T) and does not wait for it; a backend that
            // cannot tell waits one timeout
            assertTrue(paused.error().contains("frozen") || paused.error().contains("within"), paused.error());
            assertFalse(paused.error().contains("\n"));
            assertEquals(2, v.sentinels().stream().filter(s -> s.master().isPresent()).count());
            assertTrue(ms < 6000, "a paused sentinel costs one timeout, not more: " + ms + " ms");
        } finally {
            bed.ok("resume " + third.name());
        }
    }

    @Test
    @Order(3)
    void aGroupAttachedByItsSentinelsIsDiscoveredAndReadOverPlainSockets() throws Exception {
        Node sentinel = bed.engine().session().backend().nodes(G).stream().filter(Node::isSentinel).findFirst().orElseThrow();
        try (LocalTestBed operator = new LocalTestBed()) {
            java.nio.file.Path pw = java.nio.file.Files.createTempFile("oneshot", ".pw");
            java.nio.file.Files.writeString(pw, bed.engine().session().passwords().of(G).orElseThrow().reveal() + "\n");
            try {
                operator.ok("attach " + G + " --sentinel " + sentinel.reach() + " --password-file " + pw);
            } finally {
                java.nio.file.Files.delete(pw);
            }
            try (Engine one = oneShot(operator.stateDir())) {
                assertEquals(6, one.session().backend().nodes(G).size(), "3 data nodes and 3 sentinels, from the sentinels");
                SentinelStatus.View v = SentinelStatus.collect(one.session(), Group.require(one.session(), G));
                assertTrue(v.agree() && v.quorumOk());
                assertEquals(2, v.replicas().size());
                assertFalse(one.session().lettuceOpen(), "discovery and reads went over plain sockets");
            }
            operator.ok("detach " + G);
        }
    }
}

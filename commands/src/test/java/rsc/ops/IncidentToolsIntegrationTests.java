package rsc.ops;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import rsc.events.Event;
import rsc.model.Node;
import rsc.session.Outcome;
import rsc.session.ScriptRunner;
import rsc.testing.LocalTestBed;
import rsc.testing.RecordingInteraction;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static rsc.testing.Sleep.sleep;

/** events, doctor, drills and asserting runbooks against a real local group (master, 2 replicas, 3 sentinels). */
@Tag("integration")
class IncidentToolsIntegrationTests {

    private LocalTestBed bed;
    private static final String G = "incident";

    @BeforeEach
    void group() throws Exception {
        bed = new LocalTestBed();
        int base = LocalTestBed.freePorts(20);
        bed.ok("create-master " + G + " --port " + base);
        bed.ok("scale slaves 2 --port " + (base + 1));
        bed.ok("scale sentinels 3 --port " + (base + 10) + " --down-after 1000 --failover-timeout 5000");
    }

    @AfterEach
    void cleanup() throws Exception {
        bed.close();
    }

    private String text(Outcome o) {
        return String.join("\n", RecordingInteraction.render(o.result()));
    }

    @Test
    void aKilledMasterShowsUpInTheTimelineAndWaitSeesTheSwitch() {
        bed.ok("doctor");
        Node master = bed.engine().session().backend().nodes(G).get(0);
        bed.ok("kill master");
        Outcome w = bed.ok("wait switch-master --timeout 30s");
        assertTrue(text(w).contains("+switch-master: " + G + " " + master.name()), text(w));
        List<Event> events = bed.engine().session().events().timeline().all();
        List<String> types = events.stream().map(Event::type).toList();
        assertTrue(types.contains("+sdown"), types.toString());
        assertTrue(types.contains("+odown"), types.toString());
        assertTrue(types.contains("+switch-master"), types.toString());
        // 'wait' returns at the first sentinel's +switch-master; the others switch once the leader's hello reaches them
        long deadline = System.nanoTime() + 10_000_000_000L;
        Event sw = events.stream().filter(e -> e.type().equals("+switch-master")).findFirst().orElseThrow();
        while (sw.seenBy() < 2 && System.nanoTime() < deadline) {
            sleep(100);
            events = bed.engine().session().events().timeline().all();
            sw = events.stream().filter(e -> e.type().equals("+switch-master")).findFirst().orElseThrow();
        }
        assertEquals(3, sw.of(), "listening to all three sentinels");
        // events that name no group (+new-epoch, +vote-for-leader) belong to the group of the sentinel that said them
        List<Event> fromSentinels = events.stream().filter(e -> e.source().equals("sentinel")).toList();
        assertTrue(fromSentinels.stream().anyMatch(e -> e.type().equals("+new-epoch")), types.toString());
        assertTrue(fromSentinels.stream().allMatch(e -> G.equals(e.group())),
                fromSentinels.stream().filter(e -> !G.equals(e.group())).toList().toString());
        assertTrue(sw.seenBy() >= 2, "de-duplicated across sentinels: " + sw);
        assertEquals(1, events.stream().filter(e -> e.type().equals("+switch-master")).count(), "one line, not three");
        Outcome ev = bed.ok("events --group " + G);
        assertTrue(text(ev).contains("+odown"), text(ev));
        bed.ok("wait master-up --timeout 20s");
        // the surviving replica re-syncs from the promoted one after the switch: wait for it, then assert
        bed.ok("wait replicas 1 --timeout 30s");
        bed.ok("expect replicas 1");
    }

    @Test
    void doctorIsCleanOnAHealthyGroupAndNamesEachPlantedFault() {
        Outcome clean = bed.ok("doctor");
        assertTrue(text(clean).contains("no findings") || !clean.result().failed(), text(clean));
        bed.ok("expect doctor clean");

        List<Node> redis = bed.engine().session().backend().nodes(G).stream().filter(Node::isRedis).toList();
        // a replica of the wrong master: replica 3 follows replica 2
        bed.ok("redis --node " + redis.get(2).name() + " REPLICAOF " + redis.get(1).announced().host() + " " + redis.get(1).announced().port());
        Outcome wrong = bed.engine().execute("doctor");
        assertTrue(wrong.result().failed(), "doctor fails on errors");
        assertTrue(text(wrong).contains("wrong-master"), text(wrong));
        // two masters
        bed.ok("redis --node " + redis.get(1).name() + " REPLICAOF NO ONE");
        Outcome split = bed.engine().execute("doctor");
        assertTrue(text(split).contains("split-brain"), text(split));
        Outcome expect = bed.engine().execute("expect doctor clean");
        assertFalse(expect.ok());
    }

    @Test
    void aMinorityQuorumAndAStaleSentinelAreReported() {
        bed.ok("scale sentinels 4 --quorum 2 --force");
        Outcome q = bed.engine().execute("doctor");
        assertTrue(text(q).contains("quorum-minority"), text(q));
        // a stale sentinel: remove one behind rsc's back (the backend, not scale, so nobody resets)
        Node s4 = bed.engine().session().backend().nodes(G).stream().filter(Node::isSentinel)
                .filter(n -> n.index() == 4).findFirst().orElseThrow();
        bed.engine().session().backend().remove(s4);
        Outcome stale = bed.engine().execute("doctor");
        assertTrue(text(stale).contains("stale-sentinel"), text(stale));
        bed.ok("sentinel reset");
        Outcome after = bed.engine().execute("doctor");
        assertFalse(text(after).contains("stale-sentinel"), text(after));
    }

    @Test
    void theFailoverDrillCountsWhatTheNewMasterKept() {
        Outcome o = bed.ok("drill failover --writes 50 --wait-replicas 1 --keep-keys --timeout 30s");
        List<String> rows = RecordingInteraction.render(o.result());
        int acknowledged = figure(rows, "writes acknowledged");
        int lost = figure(rows, "acknowledged, then lost");
        assertTrue(acknowledged > 50, "the application wrote before and after the kill: " + rows);
        assertEquals(0, lost, "WAIT 1 on every write: the promoted replica has them all: " + rows);
        // read back independently: every acknowledged key is on the new master
        Outcome keys = bed.ok("redis EVAL \"return #redis.call('KEYS', 'rsc:drill:*')\" 0");
        int present = Integer.parseInt(RecordingInteraction.render(keys.result()).get(0).replaceAll("\\D", ""));
        assertTrue(present >= acknowledged - lost, present + " keys present, " + acknowledged + " acknowledged");
    }

    private static int figure(List<String> rows, String name) {
        return rows.stream().filter(r -> r.startsWith(name + " | ")).map(r -> Integer.parseInt(r.substring(name.length() + 3).trim()))
                .findFirst().orElseThrow(() -> new AssertionError("no row " + name + " in " + rows));
    }

    @Test
    void aRunbookWithAFalseExpectStopsAtThatLine() {
        ScriptRunner.Report r = new ScriptRunner(bed.engine(), false, true).run("drill.rsc", List.of(
                "# a drill",
                "expect quorum ok",
                "expect master " + G + "-redis-2",
                "status"));
        assertEquals(1, r.exitStatus());
        assertEquals(2, r.ran(), "the line after the false expect did not run");
        assertTrue(r.firstFailure().startsWith("drill.rsc:3: expected master " + G + "-redis-2"), r.firstFailure());
    }
}

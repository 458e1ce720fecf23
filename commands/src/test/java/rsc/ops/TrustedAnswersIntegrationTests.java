package rsc.ops;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import rsc.command.LineParser;
import rsc.model.Finding;
import rsc.model.Node;
import rsc.result.Block;
import rsc.result.Message;
import rsc.result.Severity;
import rsc.result.Table;
import rsc.session.Outcome;
import rsc.testing.LocalTestBed;
import rsc.testing.RecordingInteraction;
import rsc.testing.RedisCli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static rsc.testing.Sleep.sleep;

/**
 * Issue 12 items 2, 5 and 6: answers an operator acts on during an incident. A master and three sentinels on the
 * local backend; each test adds its replicas.
 */
@Tag("integration")
class TrustedAnswersIntegrationTests {

    private static final String G = "trust";
    private LocalTestBed bed;
    private int base;

    @BeforeEach
    void group() throws Exception {
        bed = new LocalTestBed();
        base = LocalTestBed.freePorts(20);
        bed.ok("create-master " + G + " --port " + base);
        bed.ok("scale sentinels 3 --port " + (base + 10) + " --down-after 1000 --failover-timeout 5000");
    }

    @AfterEach
    void cleanup() throws Exception {
        bed.close();
    }

    private List<Node> nodes() {
        return bed.engine().session().backend().nodes(G);
    }

    private Node redis(int index) {
        return nodes().stream().filter(n -> n.isRedis() && n.index() == index).findFirst().orElseThrow();
    }

    private String cli(Node n, String... args) {
        return RedisCli.run(n.reach(), bed.engine().session().passwords().of(G).map(s -> s.reveal()), args);
    }

    @Test
    void scaleSlavesReturnsOnlyOnceEverySentinelListsEveryReplica() {
        bed.ok("scale slaves 2 --port " + (base + 1));
        List<String> replicaPorts = List.of(String.valueOf(redis(2).announced().port()), String.valueOf(redis(3).announced().port()));
        for (Node s : nodes().stream().filter(Node::isSentinel).toList()) {
            List<String> listed = RedisCli.every(cli(s, "SENTINEL", "REPLICAS", G), "port");
            assertTrue(listed.containsAll(replicaPorts), s.name() + " lists " + listed + ", not every replica " + replicaPorts);
        }
    }

    @Test
    void statusAndDoctorFlagAReplicaFollowingANodeThatIsNotTheMaster() {
        bed.ok("scale slaves 2 --port " + (base + 1));
        Node lost = redis(3);
        // it follows a node that is gone (as a replica left behind by a failover follows the dead master)
        bed.ok("redis --node " + lost.name() + " REPLICAOF 127.0.0.1 " + (base + 9));
        Outcome status = bed.ok("status");
        assertTrue(RecordingInteraction.render(status.result()).stream().anyMatch(l -> l.contains("without persistence")),
                "status says local nodes keep no data on disk (item 14)");
        List<String> errors = errors(status);
        assertTrue(errors.stream().anyMatch(l -> l.contains(lost.name()) && l.contains("not the master")),
                "status flags it: " + RecordingInteraction.render(status.result()));
        try {
            assertEquals(rsc.model.Topology.Health.DEGRADED, bed.engine().session().topology().refreshNow().health(G),
                    "the prompt is not green while a replica follows elsewhere");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        Outcome doctor = bed.engine().execute("doctor");
        assertTrue(RecordingInteraction.render(doctor.result()).stream().anyMatch(l -> l.contains("wrong-master")
                && l.contains(lost.name())), RecordingInteraction.render(doctor.result()).toString());
    }

    @Test
    void everyFixDoctorSuggestsParsesAndRuns() {
        bed.ok("scale slaves 2 --port " + (base + 1));
        bed.ok("redis --node " + redis(3).name() + " REPLICAOF " + redis(2).announced().host() + " " + redis(2).announced().port());
        bed.ok("redis --node " + redis(2).name() + " CONFIG SET replica-priority 50");
        bed.ok("redis CONFIG SET min-replicas-to-write 0");
        bed.ok("kill " + G + "-sentinel-3");
        List<Finding> findings;
        try {
            findings = Doctor.examine(bed.engine().session(), G);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        List<String> checks = findings.stream().map(Finding::check).toList();
        assertTrue(checks.containsAll(List.of("wrong-master", "priority-mixed", "min-replicas-off", "sentinel-silent")), checks.toString());
        assertTrue(findings.stream().filter(f -> !f.command().isEmpty()).count() >= 3, findings.toString());
        LineParser parser = new LineParser(bed.engine().table());
        List<String> broken = new ArrayList<>();
        for (Finding f : findings) {
            if (f.command().isEmpty()) {
                continue;
            }
            try {
                parser.parse(f.command());
            } catch (RuntimeException e) {
                broken.add(f.check() + ": '" + f.command() + "': " + e.getMessage());
            }
        }
        assertEquals(List.of(), broken, "every fix is a command rsc parses");
        for (Finding f : findings) {
            if (!f.command().isEmpty()) {
                Outcome o = bed.engine().execute(f.command());
                assertTrue(o.ok(), f.check() + ": '" + f.command() + "' failed: " + (o.error() == null ? "" : o.error().getMessage()));
            }
        }
        bed.ok("status --group " + G);
    }

    @Test
    void sentinelStatusAndStatusShowTheSameLagOnAnIdleGroup() {
        bed.ok("scale slaves 2 --port " + (base + 1));
        for (int i = 0; i < 12; i++) {
            Outcome sentinels = bed.ok("sentinel status " + G);
            Outcome status = bed.ok("status " + G);
            for (long lag : lags(sentinels, "lag")) {
                assertTrue(lag < 600, "an idle replica lags " + lag + " B in 'sentinel status': "
                        + RecordingInteraction.render(sentinels.result()));
            }
            for (long lag : lags(status, "lag")) {
                assertTrue(lag < 600, "an idle replica lags " + lag + " B in 'status'");
            }
            sleep(1000);
        }
    }

    private static List<String> errors(Outcome o) {
        List<String> out = new ArrayList<>();
        for (Block b : o.result().blocks()) {
            if (b instanceof Message m && m.severity() == Severity.ERROR) {
                out.add(m.text());
            } else if (b instanceof Table t) {
                for (List<Object> row : t.rows()) {
                    if (row.stream().anyMatch(c -> c instanceof Table.Cell cell && cell.severity() == Severity.ERROR)) {
                        out.add(row.toString());
                    }
                }
            }
        }
        return out;
    }

    private static List<Long> lags(Outcome o, String column) {
        List<Long> out = new ArrayList<>();
        for (Block b : o.result().blocks()) {
            if (b instanceof Table t && t.columns().contains(column)) {
                int at = t.columns().indexOf(column);
                for (List<Object> row : t.rows()) {
                    Object c = row.get(at);
                    Optional.ofNullable(c).map(String::valueOf).filter(x -> x.endsWith(" B"))
                            .ifPresent(x -> out.add(Long.parseLong(x.substring(0, x.length() - 2))));
                }
            }
        }
        return out;
    }
}

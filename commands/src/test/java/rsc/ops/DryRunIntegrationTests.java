package rsc.ops;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import rsc.command.CommandKind;
import rsc.command.CommandSpec;
import rsc.session.Session;
import rsc.catalog.Catalog;
import rsc.model.Node;
import rsc.session.Outcome;
import rsc.testing.LocalTestBed;
import rsc.testing.RecordingInteraction;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --dry-run} states what the run does, for every command that changes the topology, against a real local
 * group (master, a replica, 3 sentinels): each plan comes from the op that runs ({@code plan()} beside {@code run()}),
 * makes the run's checks, and lists the run's steps; nothing changes.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DryRunIntegrationTests {

    private static final String G = "plans";
    private LocalTestBed bed;
    private int base;

    @BeforeAll
    void group() throws Exception {
        bed = new LocalTestBed();
        base = LocalTestBed.freePorts(20);
        bed.ok("create-master " + G + " --port " + base);
        bed.ok("scale slaves 1 --port " + (base + 1));
        bed.ok("scale sentinels 3 --port " + (base + 10) + " --down-after 2000 --failover-timeout 10000");
    }

    @AfterAll
    void cleanup() throws Exception {
        bed.close();
    }

    private String plan(String line) {
        Outcome o = bed.ok(line);
        String text = String.join("\n", RecordingInteraction.render(o.result()));
        assertTrue(text.contains("dry run: nothing was changed"), line + ":\n" + text);
        return text;
    }

    private String refused(String line) {
        String message = bed.fails(line).error().getMessage();
        assertEquals(1, message.lines().count(), line + ": " + message);
        assertFalse(message.startsWith("internal error"), line + ": " + message);
        return message;
    }

    private static int count(String text, String word) {
        return text.split(java.util.regex.Pattern.quote(word), -1).length - 1;
    }

    private List<String> nodes() {
        return bed.engine().session().backend().nodes(null).stream().map(n -> n.name() + " " + n.state()).sorted().toList();
    }

    @Test
    void everyTopologyChangingExampleDryRunsToAPlanOrAOneLineRefusalAndChangesNothing() {
        List<String> before = nodes();
        List<String> planned = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        for (CommandSpec<Session> c : Catalog.table().commands()) {
            for (CommandSpec<Session> leaf : c.hasSubcommands() ? c.subcommands() : List.of(c)) {
                if (leaf.kind() != CommandKind.CHANGES || leaf.hasSubcommands()) {
                    continue;
                }
                for (String example : leaf.examples()) {
                    String line = example.replace("orders", G).replace("mymaster", G) + " --dry-run";
                    Outcome o = bed.engine().execute(line);
                    String shown = o.result() == null ? "" : String.join("\n", RecordingInteraction.render(o.result()));
                    if (o.error() != null) {
                        String message = o.error().getMessage();
                        if (message.lines().count() != 1 || message.startsWith("internal error")) {
                            wrong.add(line + ": " + message);
                        }
                    } else if (o.ok() && shown.contains("dry run: nothing was changed")) {
                        planned.add(line);
                    } else {
                        wrong.add(line + " ran instead of planning:\n" + shown);
                    }
                }
            }
        }
        assertEquals(List.of(), wrong, "each topology-changing example either plans or is refused in one line");
        assertTrue(planned.size() >= 15, "most examples plan on a local group: " + planned);
        assertEquals(before, nodes(), "a dry run starts, stops and removes nothing");
    }

    @Test
    void aDryRunAfterTheRedisCommandsWordsPlansAndSendsNothing() {
        bed.ok("redis SET keep me");
        String text = plan("redis DEL keep --dry-run");
        assertTrue(text.contains("| the master of " + G + " | DEL keep"), text);
        assertFalse(text.contains("DEL keep --dry-run"), text);
        String kept = String.join("\n", RecordingInteraction.render(bed.ok("redis GET keep").result()));
        assertTrue(kept.contains("me"), "the dry run deleted the key: " + kept);
        plan("redis --dry-run DEL keep");
        bed.ok("redis DEL keep");
    }

    @Test
    void theKillDrillsPlanListsWaitWhenItWaitsAndKeepsTheKeysWhenAskedTo() {
        String plain = plan("drill failover --dry-run");
        assertTrue(plain.contains("MGET every acknowledged key; DEL them"), plain);
        assertFalse(plain.contains("WAIT"), plain);
        String kept = plan("drill failover --keep-keys --wait-replicas 1 --dry-run");
        assertFalse(kept.contains("DEL"), "--keep-keys deletes nothing, the plan said so:\n" + kept);
        assertTrue(kept.contains("WAIT 1 1000"), "every write is followed by WAIT 1:\n" + kept);
    }

    @Test
    void theDrillsDryRunRefusesWhatTheRunRefuses() {
        assertTrue(refused("drill failover --count 3 --dry-run").contains("--count goes with --planned"));
        assertTrue(refused("drill failover --writes 0 --dry-run").contains("at least 1"));
        assertTrue(refused("drill failover --planned --keep-keys --dry-run").contains("kill drill"));
        int port = base + 15;
        bed.ok("create-master " + G + "-bare --port " + port);
        try {
            bed.ok("use " + G);
            assertTrue(refused("drill failover --group " + G + "-bare --dry-run").contains("no running sentinels"));
            assertTrue(refused("drill failover --planned --group " + G + "-bare --dry-run").contains("no running sentinels"));
        } finally {
            bed.ok("destroy " + G + "-bare --yes");
            bed.ok("use " + G);
        }
    }

    @Test
    void thePlannedDrillsPlanReadsBackAfterEachWay() {
        String text = plan("drill failover --planned --count 4 --dry-run");
        assertEquals(2, count(text, "MGET every acknowledged key"), "one writer and one read-back per way:\n" + text);
        assertTrue(text.indexOf("4 x failover (paused)") < text.indexOf("MGET")
                && text.lastIndexOf("MGET") > text.indexOf("4 x failover --no-pause"), text);
    }

    @Test
    void thePlannedDrillRunsBothWaysItPlans() {
        String plan = plan("drill failover --planned --count 1 --writes 20 --timeout 30s --dry-run");
        Outcome run = bed.ok("drill failover --planned --count 1 --writes 20 --timeout 30s");
        String text = String.join("\n", RecordingInteraction.render(run.result()));
        assertTrue(plan.contains("1 x failover (paused)") && text.contains("paused (default)"), plan + "\n" + text);
        assertTrue(plan.contains("1 x failover --no-pause") && text.contains("--no-pause"), plan + "\n" + text);
        assertTrue(text.contains("paused: no acknowledged write lost over 1 failovers"), text);
        bed.ok("wait agreement");
    }

    @Test
    void sentinelResetsPlanWaitsForAgreementBeforeEachReset() {
        String text = plan("sentinel reset --dry-run");
        assertEquals(3, count(text, "SENTINEL RESET " + G), text);
        assertEquals(3, count(text, "wait until the sentinels agree on the master of " + G), text);
    }

    @Test
    void theSignalDrillsPlanTheNodeTheyWouldSignal() throws InterruptedException {
        Node master = Targets.resolve(bed.engine().session(), G, "master");
        assertTrue(plan("kill master --dry-run").contains("kill " + master.name()), "plan: kill <node name>");
        assertTrue(plan("pause replica --dry-run").contains("STOP"));
        assertTrue(refused("resume nosuchnode --dry-run").contains("no node named"));
    }

    @Test
    void destroyOfAnAttachedGroupPlansTheForgettingTheRunDoes() throws Exception {
        try (LocalTestBed operator = new LocalTestBed()) {
            Node sentinel = bed.engine().session().backend().nodes(G).stream().filter(Node::isSentinel).findFirst().orElseThrow();
            Path pw = Files.createTempFile(operator.stateDir(), "pw", "");
            Files.writeString(pw, bed.engine().session().passwords().of(G).orElseThrow().reveal() + "\n");
            operator.ok("attach " + G + " --sentinel " + sentinel.reach() + " --password-file " + pw);
            String refusedRun = operator.fails("destroy " + G + " --yes").error().getMessage();
            assertEquals(refusedRun, operator.fails("destroy " + G + " --yes --dry-run").error().getMessage(),
                    "the dry run refuses as the run does");
            String forget = String.join("\n", RecordingInteraction.render(operator.ok("destroy " + G + " --force --dry-run").result()));
            assertTrue(forget.contains("forget the attached group") && forget.contains("none of its nodes is touched"), forget);
            assertTrue(operator.engine().session().backend().groups().contains(G), "the dry run forgot nothing");
            operator.ok("destroy " + G + " --force");
        }
        assertEquals(5, bed.engine().session().backend().nodes(G).stream().filter(n -> n.state().running()).count());
    }
}

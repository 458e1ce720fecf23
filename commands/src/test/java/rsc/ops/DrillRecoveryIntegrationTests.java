package rsc.ops;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import rsc.model.Node;
import rsc.session.Outcome;
import rsc.testing.LocalTestBed;
import rsc.testing.RecordingInteraction;
import rsc.testing.RedisCli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12 items 3 and 4 on the local backend: resume thaws exactly what was frozen, a frozen node is shown as frozen,
 * and a killed node comes back with 'start NODE', following the master of now.
 */
@Tag("integration")
class DrillRecoveryIntegrationTests {

    private static final String G = "drill";
    private LocalTestBed bed;

    @BeforeEach
    void group() throws Exception {
        bed = new LocalTestBed();
        int base = LocalTestBed.freePorts(20);
        bed.ok("create-master " + G + " --port " + base);
        bed.ok("scale sentinels 3 --port " + (base + 10) + " --down-after 1000 --failover-timeout 5000");
        bed.ok("scale slaves 2 --port " + (base + 1));
    }

    @AfterEach
    void cleanup() throws Exception {
        bed.close();
    }

    private Node node(String name) {
        return bed.engine().session().backend().nodes(G).stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
    }

    private static char processState(Node n) throws Exception {
        long pid = Long.parseLong(n.detail().replace("pid ", ""));
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return stat.charAt(stat.lastIndexOf(')') + 2);
    }

    private String text(Outcome o) {
        return String.join("\n", RecordingInteraction.render(o.result()));
    }

    @Test
    void resumeThawsExactlyTheFrozenNodeAfterAFailover() throws Exception {
        String old = G + "-redis-1";
        bed.ok("pause master");
        assertEquals('T', processState(node(old)));
        Outcome status = bed.ok("status");
        assertTrue(text(status).contains(old) && text(status).contains("frozen"), "a frozen node is shown frozen: " + text(status));
        bed.ok("wait switch-master --timeout 30s");
        bed.ok("resume master");
        char state = processState(node(old));
        assertTrue(state != 'T' && state != 't', old + " was thawed (state " + state + ")");
    }

    @Test
    void aKilledNodeComesBackWithStartFollowingTheMasterOfNow() throws Exception {
        String old = G + "-redis-1";
        int port = node(old).announced().port();
        bed.ok("kill master");
        bed.ok("wait switch-master --timeout 30s");
        Outcome scale = bed.ok("scale slaves 2");
        assertTrue(text(scale).contains("stopped") && text(scale).contains("start " + old), text(scale));
        bed.ok("start " + old);
        Node back = node(old);
        assertEquals(port, back.announced().port(), "the same name keeps its port");
        String role = RedisCli.run(back.reach(), bed.engine().session().passwords().of(G).map(s -> s.reveal()), "ROLE");
        assertTrue(role.startsWith("slave"), "it came back as a replica of the new master, not an empty master: " + role);
        bed.ok("wait replicas 2 --timeout 30s");
        bed.ok("expect replicas 2");
        assertTrue(bed.fails("start " + old).error().getMessage().contains("already running"));
    }
}

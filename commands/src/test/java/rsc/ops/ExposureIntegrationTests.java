package rsc.ops;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import rsc.session.Outcome;
import rsc.testing.LocalTestBed;
import rsc.testing.RecordingInteraction;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an operator can do to a group's security through rsc's own {@code redis} passthrough: a password change is
 * refused (rsc would keep the stale one), and a node opened to every interface without protected mode is named by
 * {@code doctor}.
 */
@Tag("integration")
class ExposureIntegrationTests {

    private static LocalTestBed bed;

    @BeforeAll
    static void start() throws Exception {
        bed = new LocalTestBed();
        bed.ok("create-master exp --port " + LocalTestBed.freePorts(10));
    }

    @AfterAll
    static void stop() throws Exception {
        bed.close();
    }

    @Test
    void aPasswordChangeThroughRedisIsRefusedAndTheGroupStillAnswers() {
        Outcome refused = bed.fails("redis --group exp CONFIG SET \"requirepass\" newpass");
        assertTrue(refused.error().getMessage().contains("rotate-password"), refused.error().getMessage());
        bed.fails("redis --group exp ACL SETUSER default '>newpass'");
        bed.fails("redis --group exp CONFIG SET masterauth newpass");
        bed.ok("redis --group exp PING");
        bed.ok("status exp");
    }

    @Test
    void doctorNamesANodeListeningOnAllInterfacesWithoutProtectedMode() {
        assertFalse(doctor().stream().anyMatch(l -> l.contains("exposed")), "not before: " + doctor());
        bed.ok("redis --group exp CONFIG SET protected-mode no");
        bed.ok("redis --group exp CONFIG SET bind \"* -::*\"");
        try {
            List<String> lines = doctor();
            assertTrue(lines.stream().anyMatch(l -> l.contains("exposed") && l.contains("exp-redis-1")
                    && l.contains("protected-mode no") && l.contains("CONFIG SET protected-mode yes")), String.join("\n", lines));
        } finally {
            bed.ok("redis --group exp CONFIG SET bind 127.0.0.1");
            bed.ok("redis --group exp CONFIG SET protected-mode yes");
        }
    }

    private static List<String> doctor() {
        Outcome o = bed.engine().execute("doctor exp");
        return o.result() == null ? List.of(String.valueOf(o.error())) : RecordingInteraction.render(o.result());
    }
}

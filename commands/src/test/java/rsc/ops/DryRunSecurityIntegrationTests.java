package rsc.ops;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import rsc.session.Outcome;
import rsc.testing.LocalTestBed;
import rsc.testing.RecordingInteraction;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@code --dry-run} plan shows what would be written and sent, secrets included as {@code <secret>}, checks what it
 * can (a missing password file) and claims nothing untrue (a mode Sentinel changes, a signal destroy does not send).
 */
@Tag("integration")
class DryRunSecurityIntegrationTests {

    private static final String PASSWORD = "dry-run-secret-31337";
    private static LocalTestBed bed;
    private static Path passwordFile;

    @BeforeAll
    static void start() throws Exception {
        bed = new LocalTestBed();
        passwordFile = bed.passwordFile(PASSWORD);
        bed.ok("create-master dry --port " + LocalTestBed.freePorts(10) + " --password-file " + passwordFile);
    }

    @AfterAll
    static void stop() throws Exception {
        bed.close();
    }

    private static String plan(String line) {
        Outcome o = bed.ok(line);
        String text = String.join("\n", RecordingInteraction.render(o.result()));
        assertTrue(text.contains("dry run: nothing was changed"), text);
        assertFalse(text.contains(PASSWORD), "no secret in a plan: " + text);
        return text;
    }

    @Test
    void plansShowTheAuthLinesRedacted() {
        String create = plan("create-master dry2 --dry-run --password-file " + passwordFile);
        assertTrue(create.contains("requirepass <secret>") && create.contains("masterauth <secret>"), create);
        String replicas = plan("scale slaves 1 --group dry --dry-run");
        assertTrue(replicas.contains("requirepass <secret>") && replicas.contains("masterauth <secret>"), replicas);
        String sentinels = plan("scale sentinels 1 --force --group dry --dry-run");
        assertTrue(sentinels.contains("requirepass <secret>") && sentinels.contains("sentinel auth-pass \"dry\" <secret>")
                && sentinels.contains("sentinel sentinel-pass <secret>"), sentinels);
        assertTrue(sentinels.contains("Sentinel rewrites it"), "the mode is not claimed for a file Sentinel rewrites: " + sentinels);
    }

    @Test
    void aMissingPasswordFileFailsTheDryRunToo() {
        Outcome o = bed.fails("create-master dry3 --dry-run --password-file /nonexistent");
        assertTrue(o.error().getMessage().contains("password file not found: /nonexistent"), o.error().getMessage());
        o = bed.fails("create-master dry3 --dry-run --password-file " + bed.stateDir().resolve("nope"));
        assertTrue(o.error().getMessage().contains("not found"), o.error().getMessage());
    }

    @Test
    void destroysPlanSaysTheSignalItSends() {
        String destroy = plan("destroy dry --yes --dry-run");
        assertTrue(destroy.contains("kill -KILL"), destroy);
        assertFalse(destroy.contains("kill -TERM"), destroy);
    }
}

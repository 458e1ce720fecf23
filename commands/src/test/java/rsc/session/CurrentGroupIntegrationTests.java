package rsc.session;

import rsc.backend.Settings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import rsc.backend.Backends;
import rsc.ops.GroupHealth;
import rsc.catalog.Catalog;
import rsc.testing.LocalTestBed;
import rsc.testing.RecordingInteraction;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12 item 7: the current group is one that exists. Destroying it moves to the only group left (or none); a new
 * console without {@code --group} starts in the only group there is, not in a {@code mymaster} that does not exist.
 */
@Tag("integration")
class CurrentGroupIntegrationTests {

    private LocalTestBed bed;
    private int base;

    @BeforeEach
    void start() throws Exception {
        bed = new LocalTestBed();
        base = LocalTestBed.freePorts(10);
    }

    @AfterEach
    void stop() throws Exception {
        bed.close();
    }

    private Engine restarted() {
        Settings settings = Settings.fromEnvironment().withBackend("local").withStateDir(bed.stateDir());
        return new Engine(settings, new RecordingInteraction(), Catalog.table(), Backends.factory(), GroupHealth::probe);
    }

    @Test
    void destroyingTheCurrentGroupMovesToTheOnlyOneLeftOrNone() {
        bed.ok("create-master orders --port " + base);
        bed.ok("create-master carts --port " + (base + 1));
        assertEquals(Optional.of("carts"), bed.engine().session().console().currentGroup());
        bed.ok("destroy carts --yes");
        assertEquals(Optional.of("orders"), bed.engine().session().console().currentGroup(), "the only group left");
        bed.ok("destroy --yes");
        assertEquals(Optional.empty(), bed.engine().session().console().currentGroup(), "no group left, none current");
        Outcome status = bed.fails("status");
        assertTrue(status.error().getMessage().contains("create-master"), status.error().getMessage());
    }

    @Test
    void aNewConsoleStartsInTheOnlyGroupThereIs() {
        bed.ok("create-master orders --port " + base);
        try (Engine again = restarted()) {
            assertEquals(Optional.of("orders"), again.session().console().currentGroup());
            assertTrue(again.execute("status").ok(), "status runs on the only group");
        }
        bed.ok("create-master carts --port " + (base + 1));
        try (Engine again = restarted()) {
            assertEquals(Optional.empty(), again.session().console().currentGroup(), "two groups, no mymaster: none is chosen");
            Outcome o = again.execute("status");
            assertTrue(o.error().getMessage().contains("use GROUP"), o.error().getMessage());
        }
    }
}

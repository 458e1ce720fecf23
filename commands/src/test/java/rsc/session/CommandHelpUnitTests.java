package rsc.session;

import org.junit.jupiter.api.Test;
import rsc.backend.Backends;
import rsc.ops.GroupHealth;
import rsc.backend.Settings;
import rsc.catalog.Catalog;
import rsc.catalog.HelpText;
import rsc.testing.RecordingInteraction;

import java.nio.file.Files;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * {@code CMD --help} is answered by the table's own {@code help CMD} (the engine no longer reaches up for the help
 * text): the same result as before, for a command and a sub-command, without opening a backend.
 */
class CommandHelpUnitTests {

    @Test
    void dashDashHelpIsTheHelpCommandsAnswer() throws Exception {
        var dir = Files.createTempDirectory("rsc-help-");
        Settings settings = new Settings("local", dir, null, Settings.DEFAULT_IMAGE, Settings.DEFAULT_NETWORK, Optional.empty());
        try (Engine engine = new Engine(settings, new RecordingInteraction(), Catalog.table(), Backends.factory(), GroupHealth::probe)) {
            for (String[] c : new String[][]{{"scale slaves", "scale slaves"}, {"failover", "failover"}, {"sentinel status", "sentinel status"}}) {
                Outcome o = engine.execute(c[0] + " --help");
                assertNull(o.error(), c[0]);
                var spec = engine.session().table().find(c[1].split(" ")[0]);
                if (c[1].contains(" ")) {
                    spec = rsc.command.CommandTable.findSub(spec, c[1].split(" ")[1]);
                }
                assertEquals(RecordingInteraction.render(HelpText.forCommand(spec, c[1])), RecordingInteraction.render(o.result()),
                        c[0] + " --help");
            }
        } finally {
            Files.deleteIfExists(dir);
        }
    }
}

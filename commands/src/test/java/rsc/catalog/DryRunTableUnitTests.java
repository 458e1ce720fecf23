package rsc.catalog;

import org.junit.jupiter.api.Test;
import rsc.command.CommandKind;
import rsc.command.CommandSpec;
import rsc.session.Session;
import rsc.command.LineParser;
import rsc.error.UsageException;
import rsc.result.CommandResult;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --dry-run} is there for every command that changes the topology: each CHANGES command of the table has a
 * planner and takes the flag, the table cannot hold a planless one, and every other command refuses the flag in one
 * line. No command is deliberately planless today; one that were would have to be declared so in the table.
 */
class DryRunTableUnitTests {

    private record Leaf(String path, CommandSpec<Session> spec) {
    }

    private static List<Leaf> leaves() {
        List<Leaf> all = new ArrayList<>();
        Catalog.table().commands().forEach(c -> collect(c.name(), c, all));
        return all;
    }

    private static void collect(String path, CommandSpec<Session> spec, List<Leaf> into) {
        if (!spec.hasSubcommands()) {
            into.add(new Leaf(path, spec));
        }
        spec.subcommands().forEach(s -> collect(path + " " + s.name(), s, into));
    }

    @Test
    void everyCommandThatChangesTheTopologyHasAPlannerAndTakesDryRun() {
        List<Leaf> changes = leaves().stream().filter(l -> l.spec().kind() == CommandKind.CHANGES).toList();
        assertTrue(changes.size() >= 20, "the table's topology-changing commands: " + changes.stream().map(Leaf::path).toList());
        for (Leaf l : changes) {
            assertNotNull(l.spec().planner(), l.path() + " has no planner: its --dry-run could not work");
            assertTrue(l.spec().option("dry-run").isPresent(), l.path() + " does not take --dry-run");
        }
    }

    @Test
    void theTableRefusesATopologyChangingCommandWithoutAPlanner() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CommandSpec.<Session>command("wreck")
                .kind(CommandKind.CHANGES).handler((inv, s) -> CommandResult.ok("wrecked")).build());
        assertTrue(e.getMessage().contains("needs a planner for --dry-run"), e.getMessage());
    }

    @Test
    void everyOtherCommandRefusesDryRunInOneLine() {
        LineParser parser = new LineParser(Catalog.table());
        List<Leaf> others = leaves().stream().filter(l -> l.spec().kind() != CommandKind.CHANGES).toList();
        assertFalse(others.isEmpty());
        for (Leaf l : others) {
            assertTrue(l.spec().option("dry-run").isEmpty(), l.path() + " offers --dry-run but changes nothing");
            UsageException e = assertThrows(UsageException.class, () -> parser.parse(l.path() + " --dry-run"), l.path());
            assertTrue(e.getMessage().contains("--dry-run"), l.path() + ": " + e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), l.path() + ": " + e.getMessage());
        }
    }
}

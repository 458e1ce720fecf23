package rsc.command;

import org.junit.jupiter.api.Test;
import rsc.testing.PackageSources;
import rsc.result.CommandResult;

import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Issue 13 item 4: {@code Handler.run(Invocation, Session)} made the command table depend on the session above it.
 * The table is generic in the context its handlers run against, so {@code rsc.command} names no layer above it: not
 * the session, the catalog, the operations, the backends, Redis or events.
 */
class CommandFloorUnitTests {

    private static final Pattern UPWARD = Pattern.compile("\\brsc\\.(session|catalog|ops|backend|redis|events|secrets)\\.");

    @Test
    void theCommandPackageNamesNoLayerAboveIt() {
        assertEquals(List.of(), PackageSources.linesMatching("rsc.command", UPWARD));
    }

    /** A table over any context: the parser reads it untyped, the table hands back its own typed handler. */
    @Test
    void aTableRunsItsHandlersAgainstItsOwnContext() throws Exception {
        CommandTable<StringBuilder> table = new CommandTable<>(List.of(CommandSpec.<StringBuilder>command("note")
                .param(Param.required("text", ValueType.WORD, "what to note"))
                .handler((inv, notes) -> {
                    notes.append(inv.string("text").orElseThrow());
                    return CommandResult.empty();
                }).build()));
        Invocation inv = new LineParser(table).parse("note hello");
        assertSame(table.commands().get(0), table.declaration(inv));

        StringBuilder notes = new StringBuilder();
        table.declaration(inv).handler().run(inv, notes);
        assertEquals("hello", notes.toString());
    }

    @Test
    void aSubCommandIsFoundBelowItsParent() {
        CommandTable<rsc.session.Session> table = rsc.catalog.Catalog.table();
        Invocation inv = new LineParser(table).parse("scale slaves 2 --group orders");
        assertSame(CommandTable.findSub(table.find("scale"), "slaves"), table.declaration(inv));
    }

    @Test
    void aTableRefusesALineParsedAgainstAnother() {
        CommandSpec<Object> spec = CommandSpec.command("ping").handler((inv, c) -> CommandResult.empty()).build();
        CommandTable<Object> one = new CommandTable<>(List.of(spec));
        CommandTable<Object> other = new CommandTable<>(List.of(CommandSpec.command("ping")
                .handler((inv, c) -> CommandResult.empty()).build()));
        Invocation inv = new LineParser(one).parse("ping");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> other.declaration(inv));
        assertEquals("'ping' was not parsed against this table", e.getMessage());
    }
}

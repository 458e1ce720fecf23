package rsc.catalog;

import org.junit.jupiter.api.Test;
import rsc.command.CommandSpec;
import rsc.session.Session;
import rsc.command.LineParser;
import rsc.command.Option;
import rsc.error.UsageException;
import rsc.command.ValueType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13: a default was written in the help line and again in the handler ({@code failover}'s 30s three times, the
 * drill's 50 three times), free to drift apart. Now an option declares it once and everything reads it from there.
 */
class DeclaredDefaultsUnitTests {

    private static List<Option> everyOption(List<CommandSpec<Session>> specs) {
        List<Option> out = new ArrayList<>();
        for (CommandSpec<Session> c : specs) {
            out.addAll(c.options());
            out.addAll(everyOption(c.subcommands()));
        }
        return out;
    }

    @Test
    void noHelpLineRestatesAFixedDefaultByHand() {
        // "(default 5000, or the group's current)" describes a default that depends on the group: that stays prose
        Pattern fixed = Pattern.compile("\\(default [^,;)]+\\)");
        List<String> restated = everyOption(Catalog.table().commands()).stream()
                .filter(o -> fixed.matcher(o.help()).find()).map(o -> "--" + o.name() + ": " + o.help()).toList();
        assertEquals(List.of(), restated, "declare these with Option.withDefault");
    }

    @Test
    void theHandlerGetsTheDeclaredDefaultAndHelpShowsIt() {
        LineParser parser = new LineParser(Catalog.table());
        var failover = parser.parse("failover");
        assertEquals(Duration.ofSeconds(30), failover.valueOrDefault("timeout", Duration.class));
        assertEquals(Duration.ofSeconds(5), parser.parse("failover --timeout 5s").valueOrDefault("timeout", Duration.class));
        Option timeout = failover.spec().options().stream().filter(o -> o.name().equals("timeout")).findFirst().orElseThrow();
        assertTrue(timeout.describe().endsWith("(default 30s)"), timeout.describe());
        assertEquals(50, parser.parse("drill failover").valueOrDefault("writes", Integer.class));
        assertEquals(Duration.ofSeconds(60), parser.parse("wait agreement").valueOrDefault("timeout", Duration.class));
    }

    @Test
    void aDefaultIsCheckedAsATypedValueWouldBe() {
        assertThrows(UsageException.class, () -> Option.value("timeout", ValueType.DURATION, "D", "x").withDefault("soon"));
        assertThrows(IllegalArgumentException.class, () -> Option.flag("force", "x").withDefault("yes"));
    }
}

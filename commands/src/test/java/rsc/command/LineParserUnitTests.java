package rsc.command;

import rsc.error.UsageException;
import org.junit.jupiter.api.Test;
import rsc.catalog.Catalog;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LineParserUnitTests {

    private final LineParser parser = new LineParser(Catalog.table());

    private UsageException usage(String line) {
        return assertThrows(UsageException.class, () -> parser.parse(line));
    }

    @Test
    void blankLinesAndCommentsAreNothing() {
        assertNull(parser.parse("   "));
        assertNull(parser.parse("# a comment"));
    }

    /** The rest parameter swallowed a trailing --dry-run, so 'redis DEL k --dry-run' deleted k (issue 13's dry-run sweep). */
    @Test
    void aTrailingDryRunAfterRedisWordsIsRscsFlagUnlessAfterDoubleDash() {
        Invocation planned = parser.parse("redis DEL k --dry-run");
        assertTrue(planned.flag("dry-run"));
        assertEquals(List.of("DEL", "k"), planned.words("command"));
        Invocation literal = parser.parse("redis -- DEL k --dry-run");
        assertTrue(!literal.flag("dry-run"));
        assertEquals(List.of("DEL", "k", "--dry-run"), literal.words("command"));
    }

    @Test
    void subCommandsAndAliasesReachTheSameDeclaration() {
        Invocation a = parser.parse("scale slaves 3 --group orders");
        Invocation b = parser.parse("scale replicas 3 --group=orders");
        assertEquals("scale slaves", a.path());
        assertEquals(a.spec(), b.spec());
        assertEquals(3, a.integer("n").orElseThrow());
        assertEquals("orders", b.string("group").orElseThrow());
    }

    @Test
    void aUniquePrefixRunsTheCommandAndAnAmbiguousOneListsTheMatches() {
        assertEquals("create-master", parser.parse("cr").spec().name());
        assertEquals("sentinel status", parser.parse("sent st").path());
        UsageException e = usage("s");
        assertTrue(e.getMessage().contains("ambiguous"), e.getMessage());
        assertTrue(e.getMessage().contains("scale") && e.getMessage().contains("sentinel"), e.getMessage());
    }

    @Test
    void typedValuesParseAndBadOnesSayWhatWasWrong() {
        Invocation inv = parser.parse("scale sentinels 3 --quorum 2 --down-after 2000 --force");
        assertEquals(2, inv.integer("quorum").orElseThrow());
        assertEquals(2000L, inv.number("down-after").orElseThrow());
        assertTrue(inv.flag("force"));
        assertEquals(Duration.ofMillis(1500), parser.parse("failover --timeout 1500ms").duration("timeout").orElseThrow());
        assertEquals(Duration.ofMinutes(2), parser.parse("failover --timeout 2m").duration("timeout").orElseThrow());
        assertEquals("N must be a count from 0 to 1000, not 'three'", usage("scale slaves three").getMessage());
        assertEquals("N must be a count from 0 to 1000, not -1", usage("scale slaves -1").getMessage());
        assertEquals("--port must be a port from 1 to 65535, not 70000", usage("create-master --port 70000").getMessage());
        assertTrue(usage("failover --timeout soon").getMessage().startsWith("--timeout must be a duration"));
    }

    @Test
    void arityAndUnknownsAreUsageErrors() {
        assertTrue(usage("frobnicate").getMessage().startsWith("unknown command 'frobnicate'"));
        assertTrue(usage("scale").getMessage().startsWith("'scale' needs one of: slaves, sentinels"));
        assertTrue(usage("scale slaves").getMessage().contains("needs N"));
        assertTrue(usage("use a b").getMessage().startsWith("too many arguments for 'use'"));
        assertTrue(usage("scale slaves 2 --colour red").getMessage().startsWith("unknown option --colour for 'scale slaves'"));
        assertTrue(usage("failover --timeout").getMessage().startsWith("--timeout needs a value"));
        assertTrue(usage("destroy --yes --yes").getMessage().contains("given twice"));
        assertEquals("--group is given twice", usage("status orders --group other").getMessage(),
                "a parameter and an option of one name bind one value");
        assertTrue(usage("use 'unclosed").getMessage().startsWith("unclosed quote"));
    }

    @Test
    void namesAreCheckedAgainstTheOneRule() {
        assertTrue(usage("use 'a b'").getMessage().contains("is not a valid name"));
        assertTrue(usage("use $(reboot)").getMessage().contains("is not a valid name"));
        assertTrue(usage("create-master \"x\nsentinel notification-script /tmp/x\"").getMessage().contains("\\x0a"));
        assertEquals("orders-2.eu_west", parser.parse("use orders-2.eu_west").string("group").orElseThrow());
    }

    @Test
    void theRestParameterTakesEverythingIncludingDashes() {
        Invocation inv = parser.parse("redis --node g-redis-2 SET key \"two words\" --not-an-option");
        assertEquals(List.of("SET", "key", "two words", "--not-an-option"), inv.words("command"));
        assertEquals("g-redis-2", inv.string("node").orElseThrow());
    }

    @Test
    void helpIsAvailableWithoutTheRequiredArguments() {
        assertTrue(parser.parse("scale slaves --help").flag("help"));
        assertTrue(parser.parse("scale --help").flag("help"));
        assertTrue(parser.parse("status --json").json());
    }

    /** Issue 12 item 11: fixed choices are declared in the table, so the parser validates them from there. */
    @Test
    void fixedChoicesValidateFromTheTable() {
        assertEquals("STOP", parser.parse("kill master --signal stop").string("signal").orElseThrow());
        assertTrue(usage("kill master --signal HUP").getMessage().contains("KILL, STOP, TERM"));
        assertEquals("master", parser.parse("kill master").string("target").orElseThrow());
        assertEquals("orders-redis-2", parser.parse("kill orders-redis-2").string("target").orElseThrow());
        assertTrue(usage("set output yaml").getMessage().contains("table, json"));
        assertEquals("json", parser.parse("set output JSON").string("value").orElseThrow());
        assertTrue(usage("expect quorum fine").getMessage().contains("ok"));
        assertTrue(usage("expect role orders-redis-1 primary").getMessage().contains("master, replica"));
        assertEquals(List.of("table", "json"), CommandTable.findSub(Catalog.table().find("set"), "output").params().get(0).choices());
    }

    @Test
    void anUnknownCommandSaysWhatWasMeant() {
        assertTrue(usage("stauts").getMessage().contains("did you mean 'status'"), usage("stauts").getMessage());
        assertTrue(usage("GET k").getMessage().contains("'redis GET k'"), usage("GET k").getMessage());
        assertTrue(usage("info").getMessage().contains("'redis info'"), usage("info").getMessage());
        assertTrue(usage("keys *").getMessage().contains("'redis keys *'"), usage("keys *").getMessage());
    }
}

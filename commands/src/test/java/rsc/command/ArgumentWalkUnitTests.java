package rsc.command;

import rsc.error.UsageException;
import org.junit.jupiter.api.Test;
import rsc.catalog.Catalog;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArgumentWalkUnitTests {

    private final ArgumentWalk walker = new ArgumentWalk(Catalog.table());

    /** Records every binding as text, in order, so a test sees what each word was taken as. */
    private static final class Recorder implements ArgumentWalk.Binding {
        final List<String> steps = new ArrayList<>();

        @Override
        public void option(Option option, String value) {
            steps.add("--" + option.name() + (value == null ? "" : "=" + value));
        }

        @Override
        public void param(Param param, String word) {
            steps.add(param.name() + ":" + word);
        }

        @Override
        public void rest(Param param, List<String> words) {
            steps.add(param.name() + "..." + words);
        }

        @Override
        public void wrong(UsageException problem) {
            steps.add("wrong: " + problem.getMessage());
        }
    }

    private ArgumentWalk.Walk walk(String line, Recorder r) {
        return walker.walk(Tokenizer.split(line), r);
    }

    private static List<String> names(List<Option> options) {
        return options.stream().map(Option::name).toList();
    }

    @Test
    void noWordsExpectsACommandName() {
        ArgumentWalk.Walk w = walker.walk(List.of(), new Recorder());
        ArgumentWalk.Name n = assertInstanceOf(ArgumentWalk.Name.class, w.next());
        assertNull(n.parent());
        assertEquals(Catalog.table().commands().stream().map(CommandSpec::name).toList(),
                n.among().stream().map(CommandSpec::name).toList());
    }

    @Test
    void subCommandsDescendByNameAliasAndPrefix() {
        ArgumentWalk.Walk w = walk("scale", new Recorder());
        ArgumentWalk.Name n = assertInstanceOf(ArgumentWalk.Name.class, w.next());
        assertEquals("scale", n.parent().name());
        assertEquals(List.of("help"), names(n.options()), "only --help stands where a sub-command is due");
        assertEquals("scale slaves", walk("scale replicas", new Recorder()).path());
        assertEquals("sentinel status", walk("sent st", new Recorder()).path());
        ArgumentWalk.Walk stopped = walk("scale --help", new Recorder());
        assertEquals(List.of("--help"), stopped.unwalked());
        assertInstanceOf(ArgumentWalk.Nothing.class, stopped.next());
    }

    @Test
    void anUnknownWordEndsTheWalkWithItsReason() {
        ArgumentWalk.Walk top = walk("frobnicate now", new Recorder());
        assertInstanceOf(ArgumentWalk.Nothing.class, top.next());
        assertTrue(top.unknown().getMessage().startsWith("unknown command 'frobnicate'"));
        ArgumentWalk.Walk sub = walk("scale sideways 3", new Recorder());
        assertEquals("scale", sub.spec().name());
        assertNotNull(sub.unknown());
    }

    @Test
    void optionsBindAsSeparateOrInlineValuesAndFlags() {
        Recorder r = new Recorder();
        ArgumentWalk.Walk w = walk("scale sentinels 3 --quorum 2 --group=orders --force", r);
        assertEquals(List.of("n:3", "--quorum=2", "--group=orders", "--force"), r.steps);
        ArgumentWalk.Argument a = assertInstanceOf(ArgumentWalk.Argument.class, w.next());
        assertNull(a.param(), "every parameter is taken");
        Set<String> open = new HashSet<>(names(a.options()));
        assertFalse(open.contains("quorum") || open.contains("group") || open.contains("force"), open.toString());
        assertTrue(open.containsAll(Set.of("port", "json", "help", "dry-run")), open.toString());
    }

    @Test
    void anOptionWithoutItsValueIsWhereTheValueGoes() {
        ArgumentWalk.OptionValue v = assertInstanceOf(ArgumentWalk.OptionValue.class,
                walk("failover --timeout", new Recorder()).next());
        assertEquals("timeout", v.option().name());
        assertFalse(v.inline());
        ArgumentWalk.OptionValue inline = assertInstanceOf(ArgumentWalk.OptionValue.class,
                walker.complete(List.of("status"), "--group=or").next());
        assertEquals("group", inline.option().name());
        assertTrue(inline.inline());
        assertInstanceOf(ArgumentWalk.Argument.class, walker.complete(List.of("status"), "--json=").next(),
                "a flag takes no value, inline or not");
    }

    @Test
    void doubleDashEndsOptions() {
        Recorder r = new Recorder();
        ArgumentWalk.Walk w = walk("use -- --odd", r);
        assertEquals(List.of("group:--odd"), r.steps);
        ArgumentWalk.Argument a = assertInstanceOf(ArgumentWalk.Argument.class, walk("use --", new Recorder()).next());
        assertEquals("group", a.param().name());
        assertEquals(List.of(), a.options(), "no option after --");
        assertInstanceOf(ArgumentWalk.Argument.class, w.next());
    }

    @Test
    void theRestParameterTakesEveryWordFromItsFirstOn() {
        Recorder r = new Recorder();
        ArgumentWalk.Walk w = walk("redis --node g-redis-2 SET k --not-an-option", r);
        assertEquals(List.of("--node=g-redis-2", "command...[SET, k, --not-an-option]"), r.steps);
        ArgumentWalk.Rest rest = assertInstanceOf(ArgumentWalk.Rest.class, w.next());
        assertEquals(List.of("SET", "k", "--not-an-option"), rest.words());
        ArgumentWalk.Argument first = assertInstanceOf(ArgumentWalk.Argument.class, walk("redis", new Recorder()).next());
        assertTrue(first.param().rest(), "before its first word a rest parameter is an ordinary argument");
    }

    @Test
    void wrongWordsAreReportedAndTheWalkGoesOnPastOptions() {
        Recorder r = new Recorder();
        ArgumentWalk.Walk w = walk("scale slaves 2 --colour red --group g --group h", r);
        assertTrue(r.steps.get(1).startsWith("wrong: unknown option --colour for 'scale slaves'"), r.steps.toString());
        assertTrue(r.steps.contains("wrong: too many arguments for 'scale slaves' at 'red' (usage: "
                + w.spec().usage("scale slaves") + ")"), r.steps.toString());
        assertInstanceOf(ArgumentWalk.Nothing.class, w.next(), "too many arguments: nothing may follow");
        Recorder twice = new Recorder();
        walk("status --group g --group h --json=yes", twice);
        assertEquals(List.of("--group=g", "wrong: --group is given twice", "--group=h", "wrong: --json takes no value",
                "--json"), twice.steps);
    }
}

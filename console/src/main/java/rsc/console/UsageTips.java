package rsc.console;

import org.jline.console.ArgDesc;
import org.jline.console.CmdDesc;
import org.jline.console.CmdLine;
import org.jline.reader.LineReader;
import org.jline.utils.AttributedString;
import org.jline.widget.TailTipWidgets;
import rsc.command.ArgumentWalk;
import rsc.command.CommandSpec;
import rsc.command.CommandTable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The usage of the command being typed, shown greyed after the cursor (JLine's tail tip, as iredis shows it): read
 * from the {@link CommandTable} through {@link ArgumentWalk} (the walk the parser and TAB use), so it says what
 * {@code help} says and reaches the command the parser would. {@code scale } shows {@code slaves|sentinels},
 * {@code scale slaves } shows {@code N [--group G] ...}.
 */
final class UsageTips implements Function<CmdLine, CmdDesc> {

    private final ArgumentWalk walker;

    UsageTips(CommandTable<?> table) {
        this.walker = new ArgumentWalk(table);
    }

    /** Turns the tail tip on for the reader. */
    static void enable(LineReader reader, CommandTable<?> table) {
        new TailTipWidgets(reader, new UsageTips(table), 0, TailTipWidgets.TipType.TAIL_TIP).enable();
    }

    @Override
    public CmdDesc apply(CmdLine line) {
        List<String> words = line.getArgs().stream().filter(w -> !w.isBlank()).toList();
        if (words.isEmpty()) {
            return null;
        }
        ArgumentWalk.Walk walk = walker.walk(words);
        if (walk.spec() == null || walk.unknown() != null || !walk.unwalked().isEmpty()) {
            return null;
        }
        // one entry per word after the command: sub-command words as declared, then the usage of what they reach
        List<ArgDesc> args = new ArrayList<>();
        List<String> path = List.of(walk.path().split(" "));
        path.subList(1, path.size()).forEach(word -> args.add(new ArgDesc(word)));
        CommandSpec<?> spec = walk.spec();
        if (walk.next() instanceof ArgumentWalk.Name n) {
            args.add(new ArgDesc(String.join("|", n.among().stream().map(CommandSpec::name).toList())));
        } else {
            spec.params().forEach(p -> args.add(new ArgDesc(p.usage())));
            // a tip is one word to JLine: shown as --name=VALUE, which the parser takes as well
            spec.options().forEach(o -> args.add(new ArgDesc(o.usage().replace(' ', '='))));
        }
        return new CmdDesc(List.of(new AttributedString(spec.summary())), args, Map.of());
    }
}

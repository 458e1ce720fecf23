package rsc.console;

import org.jline.console.ArgDesc;
import org.jline.console.CmdDesc;
import org.jline.console.CmdLine;
import org.jline.reader.LineReader;
import org.jline.utils.AttributedString;
import org.jline.widget.TailTipWidgets;
import rsc.command.CommandSpec;
import rsc.command.CommandTable;
import rsc.command.Option;
import rsc.command.Param;
import rsc.command.RscException;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The usage of the command being typed, shown greyed after the cursor (JLine's tail tip, as iredis shows it): read
 * from the {@link CommandTable}, so it says what {@code help} says. {@code scale } shows {@code slaves|sentinels},
 * {@code scale slaves } shows {@code N [--group G] ...}.
 */
final class UsageTips implements Function<CmdLine, CmdDesc> {

    private final CommandTable table;

    private UsageTips(CommandTable table) {
        this.table = table;
    }

    /** Turns the tail tip on for the reader. */
    static void enable(LineReader reader, CommandTable table) {
        new TailTipWidgets(reader, new UsageTips(table), 0, TailTipWidgets.TipType.TAIL_TIP).enable();
    }

    @Override
    public CmdDesc apply(CmdLine line) {
        List<String> words = line.getArgs().stream().filter(w -> !w.isBlank()).toList();
        if (words.isEmpty()) {
            return null;
        }
        CommandSpec spec;
        try {
            spec = table.find(words.get(0));
        } catch (RscException unknown) {
            return null;
        }
        // one entry per word after the command: sub-command words as typed, then the usage of what they reach
        List<ArgDesc> args = new ArrayList<>();
        int i = 1;
        while (spec.hasSubcommands()) {
            if (i >= words.size()) {
                args.add(new ArgDesc(String.join("|", spec.subcommands().stream().map(CommandSpec::name).toList())));
                return new CmdDesc(List.of(new AttributedString(spec.summary())), args, java.util.Map.of());
            }
            try {
                spec = CommandTable.findSub(spec, words.get(i));
            } catch (RscException unknown) {
                return null;
            }
            args.add(new ArgDesc(spec.name()));
            i++;
        }
        for (Param p : spec.params()) {
            args.add(new ArgDesc(p.usage()));
        }
        for (Option o : spec.options()) {
            // a tip is one word to JLine: shown as --name=VALUE, which the parser takes as well
            args.add(new ArgDesc(o.usage().replace(' ', '=')));
        }
        return new CmdDesc(List.of(new AttributedString(spec.summary())), args, java.util.Map.of());
    }
}

package rsc.catalog;

import rsc.command.CommandSpec;
import rsc.command.CommandTable;
import rsc.command.Option;
import rsc.command.Param;
import rsc.result.CommandResult;
import rsc.result.Message;
import rsc.result.Table;

/** {@code help} and {@code CMD --help}, read straight from the command table. */
public final class HelpText {

    private HelpText() {
    }

    /** One line per command (and per sub-command). */
    public static CommandResult overview(CommandTable<?> table) {
        Table.Builder t = Table.of("commands", "command", "summary");
        for (CommandSpec<?> c : table.commands()) {
            if (c.hasSubcommands()) {
                for (CommandSpec<?> s : c.subcommands()) {
                    t.row(c.name() + " " + s.name(), s.summary());
                }
            } else {
                String names = c.aliases().isEmpty() ? c.name() : c.name() + " (" + String.join(", ", c.aliases()) + ")";
                t.row(names, c.summary());
            }
        }
        return CommandResult.of(t.build(),
                Message.info("'help COMMAND' shows usage and examples; TAB completes; Right arrow takes the greyed"
                        + " suggestion from history; any command takes --json."));
    }

    /** Usage, arguments, options and examples of one command. */
    public static CommandResult forCommand(CommandSpec<?> spec, String path) {
        CommandResult.Builder b = CommandResult.builder();
        b.info("usage: " + spec.usage(path));
        if (!spec.aliases().isEmpty()) {
            b.info("aliases: " + String.join(", ", spec.aliases()));
        }
        b.info(spec.summary());
        if (!spec.description().isEmpty()) {
            b.info(spec.description());
        }
        if (spec.hasSubcommands()) {
            Table.Builder t = Table.of("sub-commands", "sub-command", "summary");
            for (CommandSpec<?> s : spec.subcommands()) {
                t.row(s.usage(path + " " + s.name()), s.summary());
            }
            b.add(t.build());
        }
        if (!spec.params().isEmpty()) {
            Table.Builder t = Table.of("arguments", "argument", "meaning");
            for (Param p : spec.params()) {
                t.row(p.usage(), p.help());
            }
            b.add(t.build());
        }
        Table.Builder o = Table.of("options", "option", "meaning");
        for (Option opt : spec.allOptions()) {
            o.row(opt.isFlag() ? "--" + opt.name() : "--" + opt.name() + " " + opt.valueLabel(), opt.describe());
        }
        b.add(o.build());
        if (!spec.examples().isEmpty()) {
            Table.Builder e = Table.of("examples", "example");
            spec.examples().forEach(e::row);
            b.add(e.build());
        }
        return b.build();
    }
}

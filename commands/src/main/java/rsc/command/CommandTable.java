package rsc.command;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one source of truth for what the console understands. Looks commands up by exact name, alias or
 * unique prefix (as jshell does); an ambiguous prefix is an error that lists the matches.
 */
public final class CommandTable {

    private final List<CommandSpec> commands;

    public CommandTable(List<CommandSpec> commands) {
        Map<String, CommandSpec> seen = new LinkedHashMap<>();
        for (CommandSpec c : commands) {
            for (String n : c.names()) {
                if (seen.put(n, c) != null) {
                    throw new IllegalArgumentException("two commands are named " + n);
                }
            }
        }
        this.commands = commands.stream().sorted(Comparator.comparing(CommandSpec::name)).toList();
    }

    /** Every top-level command, sorted by name. */
    public List<CommandSpec> commands() {
        return commands;
    }

    /** Finds a top-level command by the word typed. */
    public CommandSpec find(String word) {
        return resolve(commands, word, null);
    }

    /** Finds a sub-command of {@code parent} by the word typed. */
    public static CommandSpec findSub(CommandSpec parent, String word) {
        return resolve(parent.subcommands(), word, parent.name());
    }

    private static CommandSpec resolve(List<CommandSpec> among, String word, String parent) {
        for (CommandSpec c : among) {
            if (c.names().contains(word)) {
                return c;
            }
        }
        List<CommandSpec> matches = new ArrayList<>();
        for (CommandSpec c : among) {
            if (c.names().stream().anyMatch(n -> n.startsWith(word))) {
                matches.add(c);
            }
        }
        String where = parent == null ? "" : parent + " ";
        if (matches.size() == 1) {
            return matches.get(0);
        }
        String shown = rsc.model.Names.printable(word);
        if (matches.isEmpty()) {
            if (parent == null) {
                throw new UsageException("unknown command '" + shown + "' (try 'help')");
            }
            throw new UsageException("unknown sub-command '" + where + shown + "': expected one of "
                    + String.join(", ", among.stream().map(CommandSpec::name).toList()));
        }
        throw new UsageException("'" + where + shown + "' is ambiguous: "
                + String.join(", ", matches.stream().map(c -> where + c.name()).toList()));
    }
}

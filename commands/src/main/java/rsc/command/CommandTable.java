package rsc.command;

import rsc.error.UsageException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one source of truth for what the console understands. Looks commands up by exact name, alias or
 * unique prefix (as jshell does); an ambiguous prefix is an error that lists the matches. {@code C} is the context its
 * handlers run against; parsing, help and completion take a {@code CommandTable<?>}.
 */
public final class CommandTable<C> {

    private final List<CommandSpec<C>> commands;

    public CommandTable(List<CommandSpec<C>> commands) {
        Map<String, CommandSpec<C>> seen = new LinkedHashMap<>();
        for (CommandSpec<C> c : commands) {
            for (String n : c.names()) {
                if (seen.put(n, c) != null) {
                    throw new IllegalArgumentException("two commands are named " + n);
                }
            }
        }
        this.commands = commands.stream().sorted(Comparator.comparing(CommandSpec::name)).toList();
    }

    /** Every top-level command, sorted by name. */
    public List<CommandSpec<C>> commands() {
        return commands;
    }

    /** Finds a top-level command by the word typed. */
    public CommandSpec<C> find(String word) {
        return resolve(commands, word, null);
    }

    /** Finds a sub-command of {@code parent} by the word typed. */
    public static <C> CommandSpec<C> findSub(CommandSpec<C> parent, String word) {
        return resolve(parent.subcommands(), word, parent.name());
    }

    /**
     * This table's own declaration of the command {@code invocation} reached, so its handler and planner run against
     * a {@code C}; the parser, which reads any table, hands back a {@code CommandSpec<?>}.
     */
    public CommandSpec<C> declaration(Invocation invocation) {
        return declaration(commands, invocation.spec()).orElseThrow(() -> new IllegalArgumentException(
                "'" + invocation.path() + "' was not parsed against this table"));
    }

    private static <C> java.util.Optional<CommandSpec<C>> declaration(List<CommandSpec<C>> among, CommandSpec<?> wanted) {
        for (CommandSpec<C> c : among) {
            if (c == wanted) {
                return java.util.Optional.of(c);
            }
            java.util.Optional<CommandSpec<C>> sub = declaration(c.subcommands(), wanted);
            if (sub.isPresent()) {
                return sub;
            }
        }
        return java.util.Optional.empty();
    }

    /** The name nearest to a mistyped word (at most two edits, a swap counting one), if one is near enough. */
    static java.util.Optional<String> closest(List<? extends CommandSpec<?>> among, String word) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (CommandSpec<?> c : among) {
            for (String n : c.names()) {
                int d = distance(word.toLowerCase(java.util.Locale.ROOT), n);
                if (d < bestDistance) {
                    best = n;
                    bestDistance = d;
                }
            }
        }
        return bestDistance <= Math.min(2, Math.max(1, word.length() / 3)) ? java.util.Optional.of(best) : java.util.Optional.empty();
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
    private static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    private static <C> CommandSpec<C> resolve(List<CommandSpec<C>> among, String word, String parent) {
        for (CommandSpec<C> c : among) {
            if (c.names().contains(word)) {
                return c;
            }
        }
        List<CommandSpec<C>> matches = new ArrayList<>();
        for (CommandSpec<C> c : among) {
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
            String meant = closest(among, word).map(m -> "; did you mean '" + where + m + "'?").orElse("");
            if (parent == null) {
                throw new UsageException("unknown command '" + shown + "'" + meant + " (try 'help')");
            }
            throw new UsageException("unknown sub-command '" + where + shown + "'" + meant + " (expected one of "
                    + String.join(", ", among.stream().map(CommandSpec::name).toList()) + ")");
        }
        throw new UsageException("'" + where + shown + "' is ambiguous: "
                + String.join(", ", matches.stream().map(c -> where + c.name()).toList()));
    }
}

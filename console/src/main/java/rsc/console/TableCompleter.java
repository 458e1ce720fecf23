package rsc.console;

import org.jline.builtins.Completers;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import rsc.command.ArgumentWalk;
import rsc.command.CommandSpec;
import rsc.command.CommandTable;
import rsc.command.CompletionSource;
import rsc.command.Option;
import rsc.command.Param;

import java.util.ArrayList;
import java.util.List;

/**
 * TAB completion from the {@link CommandTable}: {@link ArgumentWalk} (the walk {@code LineParser} binds with) says
 * what the word under the cursor may be, and this turns that into candidates: command names and aliases,
 * sub-commands, options, and option or argument values by their {@link CompletionSource}. Live values come from
 * {@link ValueCandidates}, i.e. from the cached topology; nothing here touches the network.
 */
public final class TableCompleter implements Completer {

    private final CommandTable<?> table;
    private final ArgumentWalk walker;
    private final ValueCandidates values;
    private final Completer files = new Completers.FileNameCompleter();

    public TableCompleter(CommandTable<?> table, ValueCandidates values) {
        this.table = table;
        this.walker = new ArgumentWalk(table);
        this.values = values;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        List<String> before = line.words().subList(0, Math.min(line.wordIndex(), line.words().size()));
        String word = line.word() == null ? "" : line.word().substring(0, Math.min(line.wordCursor(), line.word().length()));
        ArgumentWalk.Next next = walker.complete(before, word).next();
        boolean dash = word.startsWith("-");
        if (next instanceof ArgumentWalk.Name n) {
            if (dash && n.parent() != null) {
                n.options().forEach(o -> option(o, candidates));
            } else {
                commandNames(n.among(), candidates);
            }
        } else if (next instanceof ArgumentWalk.OptionValue v) {
            String prefix = v.inline() ? "--" + v.option().name() + "=" : "";
            List<Candidate> found = new ArrayList<>();
            value(reader, prefix.isEmpty() ? line : afterPrefix(line, prefix.length()), v.option().type().source(),
                    v.option().choices(), found);
            found.forEach(c -> candidates.add(prefix.isEmpty() ? c : prefixed(prefix, c)));
        } else if (next instanceof ArgumentWalk.Argument a) {
            if (dash || a.param() == null) {
                a.options().forEach(o -> option(o, candidates));
            }
            if (a.param() != null && !dash) {
                value(reader, line, a.param().type().source(), a.param().choices(), candidates);
            }
        } else if (next instanceof ArgumentWalk.Rest r) {
            rest(reader, line, r.param(), r.words(), candidates);
        }
    }

    /** A further word of a rest parameter: a Redis command's sub-command, {@code help}'s sub-command, or a file. */
    private void rest(LineReader reader, ParsedLine line, Param p, List<String> typed, List<Candidate> candidates) {
        CompletionSource source = p.type().source();
        if (source == CompletionSource.REDIS_COMMANDS && typed.size() == 1) {
            candidates.addAll(values.redisSubcommands(typed.get(0)));
        } else if (source == CompletionSource.COMMANDS
                && walker.walk(typed).next() instanceof ArgumentWalk.Name n) {
            commandNames(n.among(), candidates);
        } else if (source == CompletionSource.FILES) {
            value(reader, line, source, List.of(), candidates);
        }
    }

    /** The line as a file completer must see it when the word under the cursor is {@code --name=VALUE}: just VALUE. */
    private static ParsedLine afterPrefix(ParsedLine line, int length) {
        return new ParsedLine() {
            @Override
            public String word() {
                return line.word().substring(length);
            }

            @Override
            public int wordCursor() {
                return line.wordCursor() - length;
            }

            @Override
            public int wordIndex() {
                return line.wordIndex();
            }

            @Override
            public List<String> words() {
                return line.words();
            }

            @Override
            public String line() {
                return line.line();
            }

            @Override
            public int cursor() {
                return line.cursor();
            }
        };
    }

    /** The same value shown bare but inserted after {@code --name=}. */
    private static Candidate prefixed(String prefix, Candidate c) {
        return new Candidate(prefix + c.value(), c.displ(), c.group(), c.descr(), c.suffix(), c.key(), c.complete());
    }

    private void value(LineReader reader, ParsedLine line, CompletionSource source, List<String> choices,
                       List<Candidate> candidates) {
        switch (source) {
            case COMMANDS -> commandNames(table.commands(), candidates);
            case FILES -> files.complete(reader, line, candidates);
            default -> candidates.addAll(values.of(source, choices));
        }
    }

    private static void commandNames(List<? extends CommandSpec<?>> specs, List<Candidate> candidates) {
        for (CommandSpec<?> c : specs) {
            for (String n : c.names()) {
                String descr = n.equals(c.name()) ? c.summary() : "alias of " + c.name();
                candidates.add(new Candidate(n, n, null, descr, null, null, true));
            }
        }
    }

    private static void option(Option o, List<Candidate> candidates) {
        String n = "--" + o.name();
        candidates.add(new Candidate(n, n, null, o.describe(), null, null, true));
    }
}

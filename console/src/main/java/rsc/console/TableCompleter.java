package rsc.console;

import org.jline.builtins.Completers;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import rsc.command.CommandSpec;
import rsc.command.CommandTable;
import rsc.command.CompletionSource;
import rsc.command.Option;
import rsc.command.Param;
import rsc.command.RscException;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * TAB completion walked from the {@link CommandTable} alone: command names and aliases, sub-commands, options,
 * and option or argument values by their {@link CompletionSource}. Live values come from {@link ValueCandidates},
 * i.e. from the cached topology; nothing here touches the network.
 */
public final class TableCompleter implements Completer {

    private final CommandTable table;
    private final ValueCandidates values;
    private final Completer files = new Completers.FileNameCompleter();

    public TableCompleter(CommandTable table, ValueCandidates values) {
        this.table = table;
        this.values = values;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        List<String> before = line.words().subList(0, Math.min(line.wordIndex(), line.words().size()));
        String word = line.word() == null ? "" : line.word().substring(0, Math.min(line.wordCursor(), line.word().length()));
        if (before.isEmpty()) {
            commandNames(table.commands(), candidates);
            return;
        }
        CommandSpec spec;
        try {
            spec = table.find(before.get(0));
        } catch (RscException unknown) {
            return;
        }
        int pos = 1;
        while (spec.hasSubcommands()) {
            if (pos == before.size()) {
                if (word.startsWith("-")) {
                    spec.option("help").ifPresent(o -> option(o, candidates));
                } else {
                    commandNames(spec.subcommands(), candidates);
                }
                return;
            }
            try {
                spec = CommandTable.findSub(spec, before.get(pos));
            } catch (RscException unknown) {
                return;
            }
            pos++;
        }
        arguments(reader, line, spec, before.subList(pos, before.size()), word, candidates);
    }

    /** Completes the word after {@code args}, the words already typed after the command's path. */
    private void arguments(LineReader reader, ParsedLine line, CommandSpec spec, List<String> args, String word,
                           List<Candidate> candidates) {
        int nextParam = 0;
        boolean optionsDone = false;
        Set<String> used = new HashSet<>();
        int restStart = -1;
        for (int i = 0; i < args.size(); i++) {
            String w = args.get(i);
            if (!optionsDone && w.equals("--")) {
                optionsDone = true;
                continue;
            }
            if (!optionsDone && w.startsWith("--") && w.length() > 2) {
                String name = w.substring(2);
                int eq = name.indexOf('=');
                Option option = spec.option(eq >= 0 ? name.substring(0, eq) : name).orElse(null);
                if (option == null) {
                    continue;
                }
                used.add(option.name());
                if (!option.isFlag() && eq < 0) {
                    if (i + 1 == args.size()) {
                        value(reader, line, option.type().source(), option.choices(), candidates);
                        return;
                    }
                    i++;
                }
                continue;
            }
            if (nextParam >= spec.params().size()) {
                return;
            }
            Param p = spec.params().get(nextParam);
            if (p.rest()) {
                restStart = i;
                break;
            }
            nextParam++;
        }
        if (restStart >= 0) {
            rest(reader, line, spec.params().get(nextParam), args.subList(restStart, args.size()), candidates);
            return;
        }
        boolean noParamLeft = nextParam >= spec.params().size();
        if (!optionsDone && (word.startsWith("-") || noParamLeft)) {
            for (Option o : spec.allOptions()) {
                if (!used.contains(o.name())) {
                    option(o, candidates);
                }
            }
        }
        if (!noParamLeft && !word.startsWith("-")) {
            Param p = spec.params().get(nextParam);
            if (p.rest()) {
                rest(reader, line, p, List.of(), candidates);
            } else {
                value(reader, line, p.type().source(), p.choices(), candidates);
            }
        }
    }

    /** A rest parameter: its first word completes by its source; for help, the second word is a sub-command. */
    private void rest(LineReader reader, ParsedLine line, Param p, List<String> typed, List<Candidate> candidates) {
        CompletionSource source = p.type().source();
        if (typed.isEmpty()) {
            value(reader, line, source, p.choices(), candidates);
            return;
        }
        if (source == CompletionSource.REDIS_COMMANDS && typed.size() == 1) {
            candidates.addAll(values.redisSubcommands(typed.get(0)));
            return;
        }
        if (source == CompletionSource.COMMANDS) {
            try {
                CommandSpec spec = table.find(typed.get(0));
                for (String w : typed.subList(1, typed.size())) {
                    if (!spec.hasSubcommands()) {
                        return;
                    }
                    spec = CommandTable.findSub(spec, w);
                }
                commandNames(spec.subcommands(), candidates);
            } catch (RscException unknown) {
                // nothing to offer after an unknown word
            }
        } else if (source == CompletionSource.FILES) {
            value(reader, line, source, List.of(), candidates);
        }
    }

    private void value(LineReader reader, ParsedLine line, CompletionSource source, List<String> choices,
                       List<Candidate> candidates) {
        switch (source) {
            case COMMANDS -> commandNames(table.commands(), candidates);
            case FILES -> files.complete(reader, line, candidates);
            default -> candidates.addAll(values.of(source, choices));
        }
    }

    private static void commandNames(List<CommandSpec> specs, List<Candidate> candidates) {
        for (CommandSpec c : specs) {
            for (String n : c.names()) {
                String descr = n.equals(c.name()) ? c.summary() : "alias of " + c.name();
                candidates.add(new Candidate(n, n, null, descr, null, null, true));
            }
        }
    }

    private static void option(Option o, List<Candidate> candidates) {
        String n = "--" + o.name();
        candidates.add(new Candidate(n, n, null, o.help(), null, null, true));
    }
}

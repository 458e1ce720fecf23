package rsc.command;

import rsc.error.UsageException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The one walk of a line's words through the {@link CommandTable}: command and sub-command descent, options
 * ({@code --x v}, {@code --x=v}, flags), {@code --} ending options, positional and rest parameters. {@link LineParser}
 * walks every word to bind them; completion walks the words before the cursor to learn what may come next. Neither
 * restates the rules, so what TAB offers is what the parser takes. No terminal types: the console only turns a
 * {@link Next} into candidates.
 */
public final class ArgumentWalk {

    /** Receives what each word was taken as, in the order typed; a lenient receiver ignores {@link #wrong}. */
    public interface Binding {
        /** An option given; {@code value} is null for a flag. */
        default void option(Option option, String value) {
        }

        default void param(Param param, String word) {
        }

        /** The rest parameter and every word from its first on. */
        default void rest(Param param, List<String> words) {
        }

        /** A word that does not fit here (unknown option, given twice, too many arguments); the walk goes on past it. */
        default void wrong(UsageException problem) {
        }
    }

    /** What the word after the walked ones may be. */
    public sealed interface Next {
    }

    /**
     * A command name among {@code among} (top level when {@code parent} is null), or one of {@code options}
     * ({@code --help} after a command that has sub-commands).
     */
    public record Name(CommandSpec<?> parent, List<CommandSpec<?>> among, List<Option> options) implements Next {
    }

    /** The value of {@code option}, typed as a word of its own or after {@code --name=} in the same word. */
    public record OptionValue(Option option, boolean inline) implements Next {
    }

    /**
     * A positional word for {@code param} (null when every parameter is taken) or one of {@code options}, the
     * options not yet given (none after {@code --}).
     */
    public record Argument(Param param, List<Option> options) implements Next {
    }

    /** A further word of the rest parameter {@code param}, which has taken {@code words} so far. */
    public record Rest(Param param, List<String> words) implements Next {
    }

    /** Nothing fits: an unknown command, too many arguments, or words after a command that needs a sub-command. */
    public record Nothing() implements Next {
    }

    /**
     * Where a walk ended.
     *
     * @param spec     the command reached, the last one found when a sub-command is unknown (null when the first word
     *                 is unknown or there is none)
     * @param path     the words that reached it, as declared ({@code scale slaves})
     * @param next     what the next word may be
     * @param unwalked the words not walked: those after a command that needs a sub-command
     * @param unknown  why the command or sub-command word was not found, or null
     */
    public record Walk(CommandSpec<?> spec, String path, Next next, List<String> unwalked, UsageException unknown) {
    }

    private final CommandTable<?> table;

    public ArgumentWalk(CommandTable<?> table) {
        this.table = table;
    }

    /** Where {@code words} lead, whatever they bind to and whether they fit. */
    public Walk walk(List<String> words) {
        return walk(words, new Binding() {
        });
    }

    /** Walks {@code words}, telling {@code binding} what each one was taken as. */
    public Walk walk(List<String> words, Binding binding) {
        if (words.isEmpty()) {
            return new Walk(null, "", new Name(null, List.copyOf(table.commands()), List.of()), List.of(), null);
        }
        CommandSpec<?> spec;
        try {
            spec = table.find(words.get(0));
        } catch (UsageException e) {
            return new Walk(null, "", new Nothing(), List.of(), e);
        }
        StringBuilder path = new StringBuilder(spec.name());
        int i = 1;
        while (spec.hasSubcommands()) {
            if (i >= words.size() || words.get(i).startsWith("--")) {
                List<String> rest = words.subList(i, words.size());
                Next next = rest.isEmpty() ? new Name(spec, List.copyOf(spec.subcommands()), spec.option("help").stream().toList())
                        : new Nothing();
                return new Walk(spec, path.toString(), next, List.copyOf(rest), null);
            }
            try {
                spec = CommandTable.findSub(spec, words.get(i));
            } catch (UsageException e) {
                return new Walk(spec, path.toString(), new Nothing(), List.of(), e);
            }
            path.append(' ').append(spec.name());
            i++;
        }
        Next next = arguments(spec, path.toString(), words.subList(i, words.size()), binding);
        return new Walk(spec, path.toString(), next, List.of(), null);
    }

    /**
     * What the word being typed stands for, after {@code before}: like {@link #walk}, except that a {@code --name=}
     * prefix of a value-taking option in {@code word} makes it that option's value.
     */
    public Walk complete(List<String> before, String word) {
        Walk walk = walk(before);
        int eq = word.indexOf('=');
        if (walk.next() instanceof Argument a && word.startsWith("--") && eq > 2) {
            String name = word.substring(2, eq);
            for (Option o : a.options()) {
                if (o.name().equals(name) && !o.isFlag()) {
                    return new Walk(walk.spec(), walk.path(), new OptionValue(o, true), List.of(), null);
                }
            }
        }
        return walk;
    }

    private static Next arguments(CommandSpec<?> spec, String path, List<String> args, Binding binding) {
        int nextParam = 0;
        boolean optionsDone = false;
        Set<String> given = new LinkedHashSet<>();
        for (int i = 0; i < args.size(); i++) {
            String word = args.get(i);
            if (!optionsDone && word.equals("--")) {
                optionsDone = true;
                continue;
            }
            if (!optionsDone && word.startsWith("--") && word.length() > 2) {
                String name = word.substring(2);
                String inline = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    inline = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                Option option = spec.option(name).orElse(null);
                if (option == null) {
                    binding.wrong(new UsageException("unknown option --" + rsc.model.Names.printable(name) + " for '"
                            + path + "'" + optionList(spec)));
                    continue;
                }
                if (!given.add(option.name())) {
                    binding.wrong(new UsageException("--" + option.name() + " is given twice"));
                }
                if (option.isFlag()) {
                    if (inline != null) {
                        binding.wrong(new UsageException("--" + option.name() + " takes no value"));
                    }
                    binding.option(option, null);
                    continue;
                }
                if (inline == null) {
                    if (i + 1 >= args.size()) {
                        return new OptionValue(option, false);
                    }
                    inline = args.get(++i);
                }
                binding.option(option, inline);
                continue;
            }
            if (nextParam >= spec.params().size()) {
                binding.wrong(new UsageException("too many arguments for '" + path + "' at '"
                        + rsc.model.Names.printable(word) + "' (usage: " + spec.usage(path) + ")"));
                return new Nothing();
            }
            Param p = spec.params().get(nextParam++);
            if (p.rest()) {
                List<String> rest = List.copyOf(args.subList(i, args.size()));
                // a trailing --dry-run is rsc's, not the rest's: 'redis DEL k --dry-run' plans and never deletes k
                // ('redis -- DEL k --dry-run' sends it as a word)
                String dryRun = "--" + CommandSpec.DRY_RUN.name();
                if (!optionsDone && rest.size() > 1 && rest.get(rest.size() - 1).equals(dryRun)
                        && spec.option(CommandSpec.DRY_RUN.name()).isPresent() && given.add(CommandSpec.DRY_RUN.name())) {
                    binding.option(CommandSpec.DRY_RUN, null);
                    rest = rest.subList(0, rest.size() - 1);
                }
                binding.rest(p, rest);
                return new Rest(p, rest);
            }
            binding.param(p, word);
        }
        Param param = nextParam < spec.params().size() ? spec.params().get(nextParam) : null;
        List<Option> open = new ArrayList<>();
        if (!optionsDone) {
            spec.allOptions().stream().filter(o -> !given.contains(o.name())).forEach(open::add);
        }
        return new Argument(param, List.copyOf(open));
    }

    private static String optionList(CommandSpec<?> spec) {
        return " (options: " + String.join(", ", spec.allOptions().stream().map(o -> "--" + o.name()).toList()) + ")";
    }
}

package rsc.command;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Turns a line into an {@link Invocation} by walking the {@link CommandTable}; every error is a usage error. */
public final class LineParser {

    private final CommandTable table;

    public LineParser(CommandTable table) {
        this.table = table;
    }

    /** Parses one line; returns null for a blank line or a comment. */
    public Invocation parse(String line) {
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
            return null;
        }
        return parse(Tokenizer.split(trimmed), line);
    }

    public Invocation parse(List<String> words, String line) {
        if (words.isEmpty()) {
            return null;
        }
        CommandSpec spec = withRedisHint(words, () -> table.find(words.get(0)));
        StringBuilder path = new StringBuilder(spec.name());
        int i = 1;
        while (spec.hasSubcommands()) {
            if (i >= words.size() || words.get(i).startsWith("--")) {
                if (i < words.size() && words.get(i).equals("--help")) {
                    return new Invocation(spec, path.toString(), Map.of("help", true), line);
                }
                throw new UsageException("'" + path + "' needs one of: "
                        + String.join(", ", spec.subcommands().stream().map(CommandSpec::name).toList())
                        + " (usage: " + spec.usage(path.toString()) + ")");
            }
            CommandSpec parent = spec;
            String sub = words.get(i);
            spec = withRedisHint(words, () -> CommandTable.findSub(parent, sub));
            path.append(' ').append(spec.name());
            i++;
        }
        return bind(spec, path.toString(), words.subList(i, words.size()), line);
    }

    private static final RedisCommandNames REDIS = RedisCommandNames.load();

    /** An unknown word that is a Redis command ({@code GET k}, {@code info}) says how to run it: through {@code redis}. */
    private static CommandSpec withRedisHint(List<String> words, java.util.function.Supplier<CommandSpec> find) {
        try {
            return find.get();
        } catch (UsageException e) {
            if (!REDIS.isCommand(words.get(0))) {
                throw e;
            }
            String redis = "'redis " + rsc.model.Names.printable(String.join(" ", words)) + "'";
            throw new UsageException(e.getMessage().startsWith("unknown command")
                    ? "'" + rsc.model.Names.printable(words.get(0)) + "' is a Redis command, not an rsc one: " + redis
                    + " runs it on the master"
                    : e.getMessage() + "; for Redis's " + words.get(0).toUpperCase(java.util.Locale.ROOT) + ": " + redis);
        }
    }

    private static Invocation bind(CommandSpec spec, String path, List<String> args, String line) {
        Map<String, Object> values = new HashMap<>();
        int nextParam = 0;
        boolean optionsDone = false;
        for (int i = 0; i < args.size(); i++) {
            String word = args.get(i);
            if (!optionsDone && word.equals("--")) {
                optionsDone = true;
                continue;
            }
            if (!optionsDone && word.startsWith("--") && word.length() > 2) {
                String name = word.substring(2);
                String inlineValue = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    inlineValue = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                String optName = name;
                Option option = spec.option(optName).orElseThrow(() -> new UsageException(
                        "unknown option --" + rsc.model.Names.printable(optName) + " for '" + path + "'"
                                + optionList(spec)));
                if (values.containsKey(option.name())) {
                    throw new UsageException("--" + option.name() + " is given twice");
                }
                if (option.isFlag()) {
                    if (inlineValue != null) {
                        throw new UsageException("--" + option.name() + " takes no value");
                    }
                    values.put(option.name(), Boolean.TRUE);
                } else {
                    String raw = inlineValue;
                    if (raw == null) {
                        if (i + 1 >= args.size()) {
                            throw new UsageException("--" + option.name() + " needs a value (" + option.valueLabel() + ")");
                        }
                        raw = args.get(++i);
                    }
                    values.put(option.name(), option.parse(raw));
                }
                continue;
            }
            if (nextParam >= spec.params().size()) {
                throw new UsageException("too many arguments for '" + path + "' at '" + rsc.model.Names.printable(word)
                        + "' (usage: " + spec.usage(path) + ")");
            }
            Param p = spec.params().get(nextParam++);
            if (p.rest()) {
                List<String> rest = new ArrayList<>(args.subList(i, args.size()));
                for (String r : rest) {
                    p.parse(r);
                }
                values.put(p.name(), List.copyOf(rest));
                break;
            }
            values.put(p.name(), p.parse(word));
        }
        if (!Boolean.TRUE.equals(values.get("help"))) {
            for (Param p : spec.params()) {
                if (p.required() && !values.containsKey(p.name())) {
                    throw new UsageException("'" + path + "' needs " + p.usage() + " (usage: " + spec.usage(path) + ")");
                }
            }
        }
        return new Invocation(spec, path, values, line);
    }

    private static String optionList(CommandSpec spec) {
        List<String> names = spec.allOptions().stream().map(o -> "--" + o.name()).toList();
        return " (options: " + String.join(", ", names) + ")";
    }
}

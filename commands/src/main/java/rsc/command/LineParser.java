package rsc.command;

import rsc.error.UsageException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a line into an {@link Invocation}: {@link ArgumentWalk} says what each word is, this types and checks the
 * values; every error is a usage error.
 */
public final class LineParser {

    private final ArgumentWalk walker;

    public LineParser(CommandTable<?> table) {
        this.walker = new ArgumentWalk(table);
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
        Map<String, Object> values = new HashMap<>();
        ArgumentWalk.Walk walk = walker.walk(words, new ArgumentWalk.Binding() {
            @Override
            public void option(Option option, String value) {
                if (values.containsKey(option.name())) { // status's GROUP and --group bind to one value
                    throw new UsageException("--" + option.name() + " is given twice");
                }
                values.put(option.name(), value == null ? Boolean.TRUE : option.parse(value));
            }

            @Override
            public void param(Param param, String word) {
                values.put(param.name(), param.parse(word));
            }

            @Override
            public void rest(Param param, List<String> rest) {
                rest.forEach(param::parse);
                values.put(param.name(), rest);
            }

            @Override
            public void wrong(UsageException problem) {
                throw problem;
            }
        });
        if (walk.unknown() != null) {
            throw withRedisHint(words, walk.unknown());
        }
        CommandSpec<?> spec = walk.spec();
        String path = walk.path();
        if (spec.hasSubcommands()) {
            if (!walk.unwalked().isEmpty() && walk.unwalked().get(0).equals("--help")) {
                return new Invocation(spec, path, Map.of("help", true), line);
            }
            throw new UsageException("'" + path + "' needs one of: "
                    + String.join(", ", spec.subcommands().stream().map(CommandSpec::name).toList())
                    + " (usage: " + spec.usage(path) + ")");
        }
        if (walk.next() instanceof ArgumentWalk.OptionValue v) {
            throw new UsageException("--" + v.option().name() + " needs a value (" + v.option().valueLabel() + ")");
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

    /** Read on the first unknown word only: a line that parses never needs the Redis command list. */
    private static final class Redis {
        static final RedisCommandNames NAMES = RedisCommandNames.load();
    }

    /** An unknown word that is a Redis command ({@code GET k}, {@code info}) says how to run it: through {@code redis}. */
    private static UsageException withRedisHint(List<String> words, UsageException e) {
        if (!Redis.NAMES.isCommand(words.get(0))) {
            return e;
        }
        String redis = "'redis " + rsc.model.Names.printable(String.join(" ", words)) + "'";
        return new UsageException(e.getMessage().startsWith("unknown command")
                ? "'" + rsc.model.Names.printable(words.get(0)) + "' is a Redis command, not an rsc one: " + redis
                + " runs it on the master"
                : e.getMessage() + "; for Redis's " + words.get(0).toUpperCase(java.util.Locale.ROOT) + ": " + redis);
    }
}

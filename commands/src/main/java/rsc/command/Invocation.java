package rsc.command;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed, validated command line: the command reached (after sub-commands) and its typed values, keyed by
 * parameter or option name.
 *
 * @param spec   the command that runs (its handler, typed, from {@link CommandTable#declaration})
 * @param path   the words that reached it, e.g. {@code scale slaves}
 * @param values typed values of the parameters and options given
 * @param line   the line as typed, for echoes and messages
 */
public record Invocation(CommandSpec<?> spec, String path, Map<String, Object> values, String line) {

    public Invocation {
        values = Map.copyOf(values);
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public boolean flag(String name) {
        return Boolean.TRUE.equals(values.get(name));
    }

    public boolean json() {
        return flag("json");
    }

    public Optional<String> string(String name) {
        return Optional.ofNullable((String) values.get(name));
    }

    public Optional<Integer> integer(String name) {
        return Optional.ofNullable((Integer) values.get(name));
    }

    public Optional<Long> number(String name) {
        return Optional.ofNullable((Long) values.get(name));
    }

    public Optional<Duration> duration(String name) {
        return Optional.ofNullable((Duration) values.get(name));
    }

    /**
     * The value given, else the default its option declares ({@link Option#withDefault}): a handler never restates a
     * default. An option without a declared default is a programming error here.
     */
    public <T> T valueOrDefault(String name, Class<T> type) {
        Object v = values.get(name);
        if (v == null) {
            Option o = spec.options().stream().filter(x -> x.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalStateException(spec.name() + " has no option --" + name));
            v = o.defaultParsed().orElseThrow(() -> new IllegalStateException("--" + name + " declares no default"));
        }
        return type.cast(v);
    }

    @SuppressWarnings("unchecked")
    public List<String> words(String name) {
        Object v = values.get(name);
        return v == null ? List.of() : (List<String>) v;
    }
}

package rsc.command;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed, validated command line: the command reached (after sub-commands) and its typed values, keyed by
 * parameter or option name.
 *
 * @param spec   the command that runs
 * @param path   the words that reached it, e.g. {@code scale slaves}
 * @param values typed values of the parameters and options given
 * @param line   the line as typed, for echoes and messages
 */
public record Invocation(CommandSpec spec, String path, Map<String, Object> values, String line) {

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

    @SuppressWarnings("unchecked")
    public List<String> words(String name) {
        Object v = values.get(name);
        return v == null ? List.of() : (List<String>) v;
    }
}

package rsc.command;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Redis command names, and the sub-commands of container commands ({@code CONFIG GET}), read from a resource list
 * (no server is asked): completion after {@code redis } offers them, and the parser uses them to tell an operator
 * who typed {@code GET k} at the rsc prompt that Redis commands go through {@code redis}.
 */
public final class RedisCommandNames {

    private static final String RESOURCE = "redis-commands.txt";

    private final Map<String, List<String>> commands;

    private RedisCommandNames(Map<String, List<String>> commands) {
        this.commands = commands;
    }

    /** The list shipped with rsc. */
    public static RedisCommandNames load() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        try (InputStream in = RedisCommandNames.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                        .map(String::strip)
                        .filter(s -> !s.isEmpty() && !s.startsWith("#"))
                        .forEach(line -> {
                            String[] words = line.split("\\s+");
                            m.put(words[0], List.of(words).subList(1, words.length));
                        });
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new RedisCommandNames(Map.copyOf(m));
    }

    /** Every command name, upper case, sorted. */
    public List<String> names() {
        return commands.keySet().stream().sorted().toList();
    }

    /** The sub-commands of a container command ({@code CONFIG}: GET, SET, ...), empty for any other. */
    public List<String> subcommands(String command) {
        return commands.getOrDefault(command.toUpperCase(Locale.ROOT), List.of());
    }

    /** Whether the word names a Redis command, in any case. */
    public boolean isCommand(String word) {
        return commands.containsKey(word.toUpperCase(Locale.ROOT));
    }
}

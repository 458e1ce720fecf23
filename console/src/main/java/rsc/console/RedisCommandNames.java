package rsc.console;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The Redis command names offered after {@code redis }, read from a resource list (no server is asked). */
public final class RedisCommandNames {

    private static final String RESOURCE = "redis-commands.txt";

    private RedisCommandNames() {
    }

    /** Every name in the list, upper case, in file order. */
    public static List<String> load() {
        try (InputStream in = RedisCommandNames.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return List.of();
            }
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                    .map(String::strip)
                    .filter(s -> !s.isEmpty() && !s.startsWith("#"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package rsc.catalog;

import rsc.error.RscException;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Redis and Sentinel commands that change a password rsc keeps for the group ({@code CONFIG SET requirepass},
 * {@code masterauth}, {@code ACL SETUSER default}, {@code SENTINEL SET G auth-pass}, {@code SENTINEL CONFIG SET
 * sentinel-pass}): through {@code redis} they would succeed while rsc's stored copy goes stale, and every later
 * command would then fail with WRONGPASS. They are refused; {@code rotate-password} changes a group's password.
 */
final class SensitiveRedisCommands {

    private static final Set<String> CONFIG_PARAMS = Set.of("requirepass", "masterauth", "masteruser");
    private static final Set<String> SENTINEL_SET_PARAMS = Set.of("auth-pass", "auth-user");
    private static final Set<String> SENTINEL_CONFIG_PARAMS = Set.of("sentinel-pass", "sentinel-user");

    private SensitiveRedisCommands() {
    }

    /** Throws a one-line error when {@code words} (a Redis command and its arguments) would change such a password. */
    static void refuse(List<String> words) {
        List<String> w = words.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
        String what = null;
        if (starts(w, "config", "set")) {
            what = firstOf(w, 2, CONFIG_PARAMS).map(p -> "CONFIG SET " + p).orElse(null);
        } else if (starts(w, "acl", "setuser") && w.size() > 2 && w.get(2).equals("default")) {
            what = "ACL SETUSER default";
        } else if (starts(w, "sentinel", "set")) {
            what = firstOf(w, 3, SENTINEL_SET_PARAMS).map(p -> "SENTINEL SET " + words.get(2) + " " + p).orElse(null);
        } else if (starts(w, "sentinel", "config", "set")) {
            what = firstOf(w, 3, SENTINEL_CONFIG_PARAMS).map(p -> "SENTINEL CONFIG SET " + p).orElse(null);
        }
        if (what != null) {
            throw new RscException("refused: " + what + " would change the group's password behind rsc's back (its stored "
                    + "copy would go stale, then WRONGPASS); 'rotate-password' changes it on every node and sentinel");
        }
    }

    /** {@code title}, after {@link #refuse}: a dry run of such a command is refused alike. */
    static String refusing(String title, List<String> words) {
        refuse(words);
        return title;
    }

    private static boolean starts(List<String> w, String... head) {
        return w.size() > head.length && w.subList(0, head.length).equals(List.of(head));
    }

    /** The first parameter name among the name-value pairs from {@code from} on that is in {@code names}. */
    private static java.util.Optional<String> firstOf(List<String> w, int from, Set<String> names) {
        for (int i = from; i < w.size(); i += 2) {
            if (names.contains(w.get(i))) {
                return java.util.Optional.of(w.get(i));
            }
        }
        return java.util.Optional.empty();
    }
}

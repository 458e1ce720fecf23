package rsc.model;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Redis version ({@code 7.0.15}) and the RDB format it writes. A replica can load only an RDB format it knows, so
 * replication from a newer format to an older Redis fails (7.0 writes RDB 10, 6.2 reads up to 9): an upgrade that
 * crosses a format has no way back.
 */
public record RedisVersion(int major, int minor, int patch) implements Comparable<RedisVersion> {

    private static final Pattern FORM = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.(\\d+))?");

    /** Parses {@code 7.0.15} (or the {@code v=7.0.15} of {@code redis-server --version}); empty when it is no version. */
    public static Optional<RedisVersion> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = FORM.matcher(text);
        if (!m.find()) {
            return Optional.empty();
        }
        return Optional.of(new RedisVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                m.group(3) == null ? 0 : Integer.parseInt(m.group(3))));
    }

    /** The RDB format version this Redis writes (RDB_VERSION in its rdb.h). */
    public int rdbFormat() {
        if (major >= 8 || (major == 7 && minor >= 4)) {
            return 12;
        }
        if (major == 7) {
            return minor >= 2 ? 11 : 10;
        }
        return 9;   // 5.0 to 6.2
    }

    @Override
    public int compareTo(RedisVersion o) {
        int c = Integer.compare(major, o.major);
        if (c == 0) {
            c = Integer.compare(minor, o.minor);
        }
        return c != 0 ? c : Integer.compare(patch, o.patch);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}

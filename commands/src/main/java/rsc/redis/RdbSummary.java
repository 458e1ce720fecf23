package rsc.redis;

/**
 * What rsc learned by reading an RDB file end to end: enough to trust it as a backup and to check a restore.
 *
 * @param version  the RDB format version ({@code REDIS0010}: 10, written by Redis 7.0; 6.2 writes 9)
 * @param keys     keys in every database of the file
 * @param expiring of those, keys with a time to live
 * @param bytes    the file's length
 * @param checksum {@code verified}, or why it could not be ({@code off}: written with {@code rdbchecksum no})
 */
public record RdbSummary(int version, long keys, long expiring, long bytes, String checksum) {

    /** The RDB version a Redis release writes, the newest it loads; unknown releases: no limit. */
    public static int versionWrittenBy(String redisVersion) {
        if (!redisVersion.matches("\\d+\\.\\d+.*")) {
            return Integer.MAX_VALUE;
        }
        String[] p = redisVersion.split("\\.");
        int major = p.length > 0 ? parse(p[0]) : 0;
        int minor = p.length > 1 ? parse(p[1]) : 0;
        if (major >= 8 || (major == 7 && minor >= 4)) {
            return 12;
        }
        if (major == 7) {
            return minor >= 2 ? 11 : 10;
        }
        if (major == 6 || major == 5) {
            return 9;
        }
        return major == 4 ? 8 : 7;
    }

    private static int parse(String s) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}

package rsc.model;

import java.util.Locale;

/** The replication role a Redis node reports in {@code INFO replication} (Sentinel's "slave" is a replica here). */
public enum Role {
    MASTER, REPLICA, SENTINEL, UNKNOWN;

    public static Role parse(String reported) {
        if (reported == null) {
            return UNKNOWN;
        }
        return switch (reported.toLowerCase(Locale.ROOT)) {
            case "master" -> MASTER;
            case "slave", "replica" -> REPLICA;
            case "sentinel" -> SENTINEL;
            default -> UNKNOWN;
        };
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}

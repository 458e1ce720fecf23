package rsc.model;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a group's data nodes write to disk, chosen once by {@code create-master --persistence} and given to every
 * replica {@code scale} starts later. The directives are the whole of a node's persistence settings, so a node's
 * config never mixes them with Redis's defaults.
 */
public enum Persistence {
    /** Nothing on disk: a restarted node comes back empty (rsc's default). */
    NONE("none"),
    /** An append-only file fsynced once a second: a crash loses at most about a second of writes on that node. */
    AOF("aof"),
    /**
     * Snapshots on Redis's own default schedule (after 1 h if 1 key changed, 5 min if 100, 1 min if 10000) and at a
     * clean shutdown: a crash loses what came after the last snapshot on that node.
     */
    RDB("rdb");

    private final String word;

    Persistence(String word) {
        this.word = word;
    }

    /** The word operators type ({@code --persistence aof}) and labels keep. */
    public String word() {
        return word;
    }

    /** The words {@code --persistence} takes, for the command table. */
    public static String[] words() {
        return new String[]{NONE.word, AOF.word, RDB.word};
    }

    /** The value for a word as the command table or a label spells it; empty for anything else. */
    public static Optional<Persistence> of(String word) {
        for (Persistence p : values()) {
            if (p.word.equals(word == null ? null : word.toLowerCase(Locale.ROOT))) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Whether the node keeps anything on disk (a data directory worth keeping, a volume on Swarm). */
    public boolean persists() {
        return this != NONE;
    }

    /** Config directives ({@code name value...}) for a data node, every persistence setting spelled out. */
    public List<List<String>> directives() {
        return switch (this) {
            case NONE -> List.of(List.of("save", ""), List.of("appendonly", "no"));
            case AOF -> List.of(List.of("save", ""), List.of("appendonly", "yes"), List.of("appendfsync", "everysec"));
            // one save line per point: Redis 6.2 reads only "save SECONDS CHANGES" lines; the first line clears the defaults
            case RDB -> List.of(List.of("save", ""), List.of("save", "3600", "1"), List.of("save", "300", "100"),
                    List.of("save", "60", "10000"), List.of("appendonly", "no"));
        };
    }

    /**
     * What a running node persists, from its own {@code CONFIG GET appendonly}, {@code save} and {@code appendfsync}
     * (not from what rsc asked for): {@code aof (appendfsync everysec)}, {@code rdb (save 3600 1 ...)}, both, or
     * {@code none}.
     */
    public static String describe(String appendonly, String save, String appendfsync) {
        boolean aof = "yes".equalsIgnoreCase(appendonly == null ? "" : appendonly.strip());
        String schedule = save == null ? "" : save.strip();
        String a = "aof (appendfsync " + (appendfsync == null ? "?" : appendfsync.strip()) + ")";
        String r = "rdb (save " + schedule + ")";
        if (aof && !schedule.isEmpty()) {
            return a + " + " + r;
        }
        return aof ? a : schedule.isEmpty() ? "none" : r;
    }
}

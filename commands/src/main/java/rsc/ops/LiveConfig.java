package rsc.ops;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which Redis parameters are the group's to tune ({@code config set}) and which rsc or the backend owns. A parameter
 * rsc owns is refused by {@code config set} with the reason, never copied by a restarted node from its master (the
 * Swarm node script keeps the same list: a unit test holds them equal) and never compared by {@code doctor}: each
 * node has its own value by design (its port, its announced address, the write fence).
 */
public final class LiveConfig {

    private static final String PASSWORD = "the group's password: rsc keeps a copy, changed behind its back every later "
            + "command fails with WRONGPASS";
    private static final String PLACED = "the backend places each node and announces its address";
    private static final String FILES = "each node's own files and process, chosen by the backend";
    private static final String FENCE = "the write fence owns it: 'scale slaves N --min-replicas-to-write M' changes it";
    private static final String PRIORITY = "set per node (rsc steers it during 'failover --to'): "
            + "'redis --node NODE CONFIG SET replica-priority P'";
    private static final String READ_ONLY = "replicas stay read-only: a write to a replica is lost at its next sync";
    private static final String PERSISTENCE = "persistence decides what a restarted node comes back with; rsc chooses it "
            + "when the group is created";
    private static final String FOLLOW = "Sentinel decides whom each node follows ('failover' moves the master)";

    /** Parameters rsc owns, each with the reason {@code config set} gives. */
    private static final Map<String, String> OWNED = owned();
    /** Prefixes of whole families rsc owns. */
    private static final Map<String, String> OWNED_PREFIXES = Map.of(
            "tls-", "TLS keys and certificates are files of each node, sensitive and placed by the backend",
            "cluster-", "rsc runs Sentinel groups, not Redis Cluster");

    private LiveConfig() {
    }

    private static Map<String, String> owned() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String p : List.of("requirepass", "masterauth", "masteruser")) {
            m.put(p, PASSWORD);
        }
        m.put("aclfile", "the ACL file is a file of each node, and holds passwords");
        for (String p : List.of("replicaof", "slaveof")) {
            m.put(p, FOLLOW);
        }
        for (String p : List.of("port", "bind", "bind-source-addr", "unixsocket", "unixsocketperm", "replica-announce-ip",
                "replica-announce-port", "slave-announce-ip", "slave-announce-port", "replica-announced", "protected-mode")) {
            m.put(p, PLACED);
        }
        for (String p : List.of("dir", "dbfilename", "logfile", "pidfile", "daemonize", "supervised", "appenddirname",
                "appendfilename", "syslog-ident")) {
            m.put(p, FILES);
        }
        for (String p : List.of("min-replicas-to-write", "min-replicas-max-lag", "min-slaves-to-write", "min-slaves-max-lag")) {
            m.put(p, FENCE);
        }
        for (String p : List.of("replica-priority", "slave-priority")) {
            m.put(p, PRIORITY);
        }
        for (String p : List.of("replica-read-only", "slave-read-only")) {
            m.put(p, READ_ONLY);
        }
        for (String p : List.of("save", "appendonly")) {
            m.put(p, PERSISTENCE);
        }
        return m;
    }

    /** Why rsc refuses to set {@code param} on a whole group; empty when it is the group's to tune. */
    public static Optional<String> refusal(String param) {
        String p = param.toLowerCase(Locale.ROOT);
        String why = OWNED.get(p);
        if (why != null) {
            return Optional.of(why);
        }
        return OWNED_PREFIXES.entrySet().stream().filter(e -> p.startsWith(e.getKey())).map(Map.Entry::getValue).findFirst();
    }

    /** Whether a node's value of {@code param} is the group's (copied, compared), not the node's own. */
    public static boolean groupWide(String param) {
        return refusal(param).isEmpty();
    }

    /** Whether {@code param}'s value must never be shown ({@code config get} prints {@code <secret>}). */
    public static boolean secret(String param) {
        String p = param.toLowerCase(Locale.ROOT);
        return OWNED.get(p) == PASSWORD || p.endsWith("-pass");
    }

    /** The exact names the Swarm node script must skip (its {@code OWN_PARAMS}); prefixes are matched apart. */
    public static List<String> ownedNames() {
        return List.copyOf(OWNED.keySet());
    }

    /** The owned prefixes ({@code tls-}, {@code cluster-}). */
    public static List<String> ownedPrefixes() {
        return OWNED_PREFIXES.keySet().stream().sorted().toList();
    }

    /** The Sentinel settings {@code sentinel set} changes, by the name Sentinel uses, with the word operators type. */
    public enum SentinelParam {
        DOWN_AFTER("down-after-milliseconds", "down-after"),
        FAILOVER_TIMEOUT("failover-timeout", "failover-timeout"),
        QUORUM("quorum", "quorum"),
        PARALLEL_SYNCS("parallel-syncs", "parallel-syncs");

        private final String sentinelName;
        private final String shortName;

        SentinelParam(String sentinelName, String shortName) {
            this.sentinelName = sentinelName;
            this.shortName = shortName;
        }

        /** The name {@code SENTINEL SET} and {@code SENTINEL MASTER} use. */
        public String sentinelName() {
            return sentinelName;
        }

        /** Every word {@code sentinel set} accepts, for the command table's choices. */
        public static String[] words() {
            return java.util.Arrays.stream(values()).flatMap(p -> p.sentinelName.equals(p.shortName)
                    ? java.util.stream.Stream.of(p.sentinelName) : java.util.stream.Stream.of(p.shortName, p.sentinelName))
                    .toArray(String[]::new);
        }

        public static SentinelParam of(String word) {
            for (SentinelParam p : values()) {
                if (p.sentinelName.equalsIgnoreCase(word) || p.shortName.equalsIgnoreCase(word)) {
                    return p;
                }
            }
            throw new rsc.error.UsageException("PARAM must be one of: " + String.join(", ", words()));
        }
    }
}

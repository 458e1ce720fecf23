package rsc.model;

/** What a node runs: a Redis data node or a Sentinel. */
public enum NodeKind {
    REDIS("redis", 6379),
    SENTINEL("sentinel", 26379);

    private final String word;
    private final int standardPort;

    NodeKind(String word, int standardPort) {
        this.word = word;
        this.standardPort = standardPort;
    }

    /** The word used in node names: {@code G-redis-1}, {@code G-sentinel-2}. */
    public String word() {
        return word;
    }

    /** The port users expect: 6379 for Redis, 26379 for Sentinel. */
    public int standardPort() {
        return standardPort;
    }
}

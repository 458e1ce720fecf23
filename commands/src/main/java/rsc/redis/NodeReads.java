package rsc.redis;

import rsc.model.Endpoint;

/** The read-only Redis commands rsc sends to one data node. */
public interface NodeReads {

    Endpoint endpoint();

    /** {@code INFO replication}, parsed. */
    Replication replication();

    /** {@code INFO server}'s {@code redis_version}: the version of Redis this node runs. */
    String version();

    /** {@code CONFIG GET name}: the value, or null when the server has no such parameter. */
    String configGet(String name);

    /** {@code CONFIG GET pattern}: every matching parameter and its value, sorted by name. */
    java.util.SortedMap<String, String> configGetAll(String pattern);
}

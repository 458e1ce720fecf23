package rsc.redis;

import rsc.model.Endpoint;

/** The read-only Redis commands rsc sends to one data node. */
public interface NodeReads {

    Endpoint endpoint();

    /** {@code INFO replication}, parsed. */
    Replication replication();

    /** {@code CONFIG GET name}: the value, or null when the server has no such parameter. */
    String configGet(String name);
}

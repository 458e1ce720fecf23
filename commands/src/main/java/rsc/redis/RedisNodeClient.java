package rsc.redis;

import io.lettuce.core.api.StatefulRedisConnection;
import rsc.model.Endpoint;


/** The Redis commands rsc sends to one data node through Lettuce. */
public final class RedisNodeClient implements NodeReads {

    private final Endpoint endpoint;
    private final StatefulRedisConnection<String, String> connection;
    private final ConnectionGuard guard;

    RedisNodeClient(Endpoint endpoint, StatefulRedisConnection<String, String> connection, Runnable onFailure) {
        this.endpoint = endpoint;
        this.connection = connection;
        this.guard = new ConnectionGuard(onFailure);
    }

    @Override
    public Endpoint endpoint() {
        return endpoint;
    }

    public String ping() {
        return guard.call(() -> connection.sync().ping());
    }

    @Override
    public Replication replication() {
        return guard.call(() -> Replication.parse(connection.sync().info("replication")));
    }

    public java.util.Map<String, String> info(String section) {
        return guard.call(() -> InfoParser.parse(connection.sync().info(section)));
    }

    @Override
    public String configGet(String name) {
        return guard.call(() -> connection.sync().configGet(name).get(name));
    }

    public void configSet(String name, String value) {
        guard.call(() -> connection.sync().configSet(name, value));
    }

    public void replicaOf(Endpoint master) {
        guard.call(() -> connection.sync().replicaof(master.host(), master.port()));
    }

    public String set(String key, String value) {
        return guard.call(() -> connection.sync().set(key, value));
    }

    public String get(String key) {
        return guard.call(() -> connection.sync().get(key));
    }

    public long waitReplicas(int replicas, long timeoutMs) {
        return guard.call(() -> connection.sync().waitForReplication(replicas, timeoutMs));
    }
}

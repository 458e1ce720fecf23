package rsc.redis;

import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A client that follows the master the way applications do (Lettuce asks the sentinels on every reconnect), with a
 * Lettuce client of its own; the drill writes through it. Closing it shuts both down.
 */
public final class FollowingClient implements AutoCloseable {

    private final StatefulRedisConnection<String, String> connection;
    private final RedisClient client;

    FollowingClient(StatefulRedisConnection<String, String> connection, RedisClient client) {
        this.connection = connection;
        this.client = client;
    }

    /** {@code SET}; true when the master answered OK. */
    public boolean set(String key, String value) {
        return "OK".equals(connection.sync().set(key, value));
    }

    /** {@code WAIT n timeout}: how many replicas acknowledged. */
    public long waitReplicas(int replicas, long timeoutMs) {
        return connection.sync().waitForReplication(replicas, timeoutMs);
    }

    /** {@code MGET}: for each key, whether it holds a value. */
    public List<Boolean> present(List<String> keys) {
        return connection.sync().mget(keys.toArray(new String[0])).stream().map(KeyValue::hasValue).toList();
    }

    /** {@code DEL}. */
    public void delete(List<String> keys) {
        connection.sync().del(keys.toArray(new String[0]));
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown(0, 2, TimeUnit.SECONDS);
    }
}

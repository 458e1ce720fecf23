package rsc.redis;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.NestedMultiOutput;
import rsc.model.Endpoint;

import java.util.List;


/** {@link RedisNodeClient} through one cached Lettuce connection. */
record LettuceNode(Endpoint endpoint, StatefulRedisConnection<String, String> connection, ConnectionGuard guard)
        implements RedisNodeClient {

    @Override
    public String ping() {
        return guard.call(() -> connection.sync().ping());
    }

    @Override
    public Replication replication() {
        return guard.call(() -> Replication.parse(connection.sync().info("replication")));
    }

    @Override
    public String version() {
        return InfoParser.version(info("server"));
    }

    @Override
    public java.util.Map<String, String> info(String section) {
        return guard.call(() -> InfoParser.parse(connection.sync().info(section)));
    }

    @Override
    public String configGet(String name) {
        return guard.call(() -> connection.sync().configGet(name).get(name));
    }

    @Override
    public void configSet(String name, String value) {
        guard.call(() -> connection.sync().configSet(name, value));
    }

    /** {@code CONFIG GET pattern}: every parameter the pattern matches ({@code *}: all), by name, sorted. */
    @Override
    public java.util.SortedMap<String, String> configGetAll(String pattern) {
        return new java.util.TreeMap<>(guard.call(() -> connection.sync().configGet(pattern)));
    }

    @Override
    public boolean configRewrite() {
        try {
            guard.call(() -> connection.sync().configRewrite());
            return true;
        } catch (RespError e) {
            return false;
        }
    }

    @Override
    public void replicaOf(Endpoint master) {
        guard.call(() -> connection.sync().replicaof(master.host(), master.port()));
    }

    @Override
    public void replicaOfNoOne() {
        guard.call(() -> connection.sync().replicaofNoOne());
    }

    @Override
    public long keyCount() {
        long total = 0;
        for (var e : info("keyspace").entrySet()) {
            for (String part : e.getValue().split(",")) {
                if (e.getKey().startsWith("db") && part.startsWith("keys=")) {
                    total += Replication.num(part.substring(5));
                }
            }
        }
        return total;
    }

    @Override
    public String set(String key, String value) {
        return guard.call(() -> connection.sync().set(key, value));
    }

    @Override
    public String get(String key) {
        return guard.call(() -> connection.sync().get(key));
    }

    @Override
    public long waitReplicas(int replicas, long timeoutMs) {
        return guard.call(() -> connection.sync().waitForReplication(replicas, timeoutMs));
    }

    @Override
    public void pauseWrites(long ms) {
        guard.call(() -> raw(List.of("CLIENT", "PAUSE", Long.toString(ms), "WRITE")));
    }

    @Override
    public void unpause() {
        guard.call(() -> raw(List.of("CLIENT", "UNPAUSE")));
    }

    @Override
    public List<Object> raw(List<String> words) {
        return guard.call(() -> connection.sync().dispatch(RawCommand.keyword(words),
                new NestedMultiOutput<>(StringCodec.UTF8), RawCommand.args(words)));
    }

    @Override
    public PasswordCommands passwords() {
        return new PasswordCommands(words -> raw(words));
    }
}

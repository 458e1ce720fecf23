package rsc.redis;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.NestedMultiOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import rsc.model.Endpoint;

import java.nio.charset.StandardCharsets;
import java.util.List;


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

    /**
     * {@code CLIENT PAUSE <ms> WRITE}: write commands (and {@code PUBLISH}, {@code WAIT}, scripts) are held, reads
     * go on; Redis lifts it by itself after {@code ms}, so a console that dies cannot leave it paused.
     */
    public void pauseWrites(long ms) {
        guard.call(() -> raw(List.of("CLIENT", "PAUSE", Long.toString(ms), "WRITE")));
    }

    /** {@code CLIENT UNPAUSE}: the held writes run now. */
    public void unpause() {
        guard.call(() -> raw(List.of("CLIENT", "UNPAUSE")));
    }

    /** Runs any command as typed; the reply comes back as nested lists of strings, numbers and errors. */
    public List<Object> raw(List<String> words) {
        ProtocolKeyword keyword = new ProtocolKeyword() {
            private final byte[] bytes = words.get(0).getBytes(StandardCharsets.UTF_8);

            @Override
            public byte[] getBytes() {
                return bytes;
            }

            @Override
            public String name() {
                return words.get(0);
            }
        };
        CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8);
        for (String w : words.subList(1, words.size())) {
            args.add(w);
        }
        return guard.call(() -> connection.sync().dispatch(keyword, new NestedMultiOutput<>(StringCodec.UTF8), args));
    }
}

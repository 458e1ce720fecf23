package rsc.redis;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.ListOfMapsOutput;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import io.lettuce.core.sentinel.api.sync.RedisSentinelCommands;
import rsc.model.Endpoint;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** The Sentinel commands rsc sends to one sentinel, answered as records. */
public final class SentinelClient {

    /** {@code SENTINEL CKQUORUM}: ok, and the sentinel's own sentence. */
    public record CkQuorum(boolean ok, String text) {
    }

    private final Endpoint endpoint;
    private final StatefulRedisSentinelConnection<String, String> connection;
    private final Runnable onFailure;

    SentinelClient(Endpoint endpoint, StatefulRedisSentinelConnection<String, String> connection, Runnable onFailure) {
        this.endpoint = endpoint;
        this.connection = connection;
        this.onFailure = onFailure;
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    private RedisSentinelCommands<String, String> sync() {
        return connection.sync();
    }

    private <T> T guard(Supplier<T> call) {
        try {
            return call.get();
        } catch (RedisCommandExecutionException e) {
            throw e;
        } catch (RuntimeException e) {
            onFailure.run();
            throw e;
        }
    }

    /** The master this sentinel names for the group, empty when it does not monitor it. */
    public Optional<Endpoint> masterAddress(String group) {
        SocketAddress a = guard(() -> sync().getMasterAddrByName(group));
        if (a instanceof InetSocketAddress isa) {
            return Optional.of(new Endpoint(isa.getHostString(), isa.getPort()));
        }
        return Optional.empty();
    }

    /** {@code SENTINEL MASTER}, empty when this sentinel does not monitor the group. */
    public Optional<SentinelMaster> master(String group) {
        try {
            return Optional.of(SentinelMaster.parse(guard(() -> sync().master(group))));
        } catch (RedisCommandExecutionException e) {
            if (String.valueOf(e.getMessage()).contains("No such master")) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public List<SentinelMaster> masters() {
        return guard(() -> sync().masters()).stream().map(SentinelMaster::parse).toList();
    }

    public List<Map<String, String>> mastersRaw() {
        return guard(() -> sync().masters());
    }

    public List<SentinelPeer> replicas(String group) {
        return guard(() -> sync().replicas(group)).stream().map(SentinelPeer::parse).toList();
    }

    public List<SentinelPeer> sentinels(String group) {
        CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8).add("SENTINELS").addKey(group);
        List<Map<String, String>> raw = guard(() -> sync().dispatch(CommandType.SENTINEL,
                new ListOfMapsOutput<>(StringCodec.UTF8), args));
        return raw.stream().map(SentinelPeer::parse).toList();
    }

    public CkQuorum ckquorum(String group) {
        CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8).add("CKQUORUM").addKey(group);
        try {
            return new CkQuorum(true, guard(() -> sync().dispatch(CommandType.SENTINEL, new StatusOutput<>(StringCodec.UTF8), args)));
        } catch (RedisCommandExecutionException e) {
            return new CkQuorum(false, String.valueOf(e.getMessage()));
        }
    }

    public long reset(String group) {
        return guard(() -> sync().reset(group));
    }

    public String failover(String group) {
        return guard(() -> sync().failover(group));
    }

    public void set(String group, String option, String value) {
        guard(() -> sync().set(group, option, value));
    }

    public void monitor(String group, Endpoint master, int quorum) {
        guard(() -> sync().monitor(group, master.host(), master.port(), quorum));
    }

    public void remove(String group) {
        guard(() -> sync().remove(group));
    }

    public String ping() {
        return guard(() -> sync().ping());
    }
}

package rsc.redis;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.ListOfMapsOutput;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import io.lettuce.core.sentinel.api.async.RedisSentinelAsyncCommands;
import io.lettuce.core.sentinel.api.sync.RedisSentinelCommands;
import rsc.model.Endpoint;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** {@link SentinelClient} through one cached Lettuce sentinel connection, answered as records. */
record LettuceSentinel(Endpoint endpoint, StatefulRedisSentinelConnection<String, String> connection,
                       ConnectionGuard guard) implements SentinelClient {

    private RedisSentinelCommands<String, String> sync() {
        return connection.sync();
    }

    @Override
    public Optional<Endpoint> masterAddress(String group) {
        SocketAddress a = guard.call(() -> sync().getMasterAddrByName(group));
        if (a instanceof InetSocketAddress isa) {
            return Optional.of(new Endpoint(isa.getHostString(), isa.getPort()));
        }
        return Optional.empty();
    }

    @Override
    public String version() {
        return InfoParser.version(InfoParser.parse(guard.call(() -> sync().info("server"))));
    }

    @Override
    public Optional<SentinelMaster> master(String group) {
        try {
            return Optional.of(SentinelMaster.parse(guard.call(() -> sync().master(group))));
        } catch (RespError e) {
            if (noSuchMaster(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static boolean noSuchMaster(Throwable e) {
        return String.valueOf(e instanceof RespError r ? r.text() : e.getMessage()).contains("No such master");
    }

    @Override
    public List<SentinelMaster> masters() {
        return guard.call(() -> sync().masters()).stream().map(SentinelMaster::parse).toList();
    }

    @Override
    public List<Map<String, String>> mastersRaw() {
        return guard.call(() -> sync().masters());
    }

    @Override
    public List<SentinelPeer> replicas(String group) {
        return guard.call(() -> sync().replicas(group)).stream().map(SentinelPeer::parse).toList();
    }

    @Override
    public List<SentinelPeer> sentinels(String group) {
        CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8).add("SENTINELS").addKey(group);
        List<Map<String, String>> raw = guard.call(() -> sync().dispatch(CommandType.SENTINEL,
                new ListOfMapsOutput<>(StringCodec.UTF8), args));
        return raw.stream().map(SentinelPeer::parse).toList();
    }

    @Override
    public CkQuorum ckquorum(String group) {
        try {
            return new CkQuorum(true, guard.call(() -> sync().dispatch(CommandType.SENTINEL, new StatusOutput<>(StringCodec.UTF8),
                    ckquorumArgs(group))));
        } catch (RespError e) {
            return new CkQuorum(false, e.text());
        }
    }

    private static CommandArgs<String, String> ckquorumArgs(String group) {
        return new CommandArgs<>(StringCodec.UTF8).add("CKQUORUM").addKey(group);
    }

    /**
     * MASTER, CKQUORUM and maybe REPLICAS written back to back without waiting between them (one round trip); the
     * replies are parsed on Lettuce's event loop, so no thread of rsc's waits per sentinel.
     */
    CompletableFuture<SentinelReport> report(String group, boolean withReplicas) {
        RedisSentinelAsyncCommands<String, String> async = connection.async();
        CompletableFuture<Map<String, String>> master = async.master(group).toCompletableFuture();
        CompletableFuture<String> quorum = async.dispatch(CommandType.SENTINEL, new StatusOutput<>(StringCodec.UTF8),
                ckquorumArgs(group)).toCompletableFuture();
        CompletableFuture<List<Map<String, String>>> replicas = withReplicas
                ? async.replicas(group).toCompletableFuture() : CompletableFuture.completedFuture(null);
        return CompletableFuture.allOf(master, quorum, replicas).handle((ignored, any) -> {
            Throwable m = failure(master);
            if (m instanceof RedisCommandExecutionException e && noSuchMaster(e)) {
                return SentinelReport.NOT_MONITORED;
            }
            if (m != null) {
                throw broken(m);
            }
            Throwable q = failure(quorum);
            if (q != null && !(q instanceof RedisCommandExecutionException)) {
                throw broken(q);
            }
            CkQuorum ck = q == null ? new CkQuorum(true, quorum.join())
                    : new CkQuorum(false, ((RespError) RedisErrors.translated(q)).text());
            Optional<List<SentinelPeer>> peers = withReplicas && failure(replicas) == null
                    ? Optional.of(replicas.join().stream().map(SentinelPeer::parse).toList()) : Optional.empty();
            return new SentinelReport(Optional.of(SentinelMaster.parse(master.join())), Optional.of(ck), peers);
        });
    }

    /** A failure to hand on, after the {@link ConnectionGuard} rule. */
    private CompletionException broken(Throwable t) {
        guard.failed(t);
        return new CompletionException(RedisErrors.translated(t));
    }

    /** Why a completed future failed, or null when it did not. */
    private static Throwable failure(CompletableFuture<?> f) {
        if (!f.isCompletedExceptionally()) {
            return null;
        }
        try {
            f.join();
            return null;
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            return e.getCause() == null ? e : e.getCause();
        }
    }

    @Override
    public long reset(String group) {
        return guard.call(() -> sync().reset(group));
    }

    @Override
    public FailoverReply failover(String group) {
        try {
            guard.call(() -> sync().failover(group));
            return new FailoverReply(FailoverReply.Kind.ACCEPTED, "OK");
        } catch (RespError e) {
            // the guard turns Lettuce's error reply into rsc's: NOGOODSLAVE, INPROG are answers, not failures
            return FailoverReply.of(e.text());
        }
    }

    @Override
    public void set(String group, String option, String value) {
        guard.call(() -> sync().set(group, option, value));
    }

    @Override
    public void monitor(String group, Endpoint master, int quorum) {
        guard.call(() -> sync().monitor(group, master.host(), master.port(), quorum));
    }

    @Override
    public void remove(String group) {
        guard.call(() -> sync().remove(group));
    }

    @Override
    public String ping() {
        return guard.call(() -> sync().ping());
    }

    @Override
    public PasswordCommands passwords() {
        return new PasswordCommands(words -> guard.call(() -> sync().dispatch(RawCommand.keyword(words),
                new io.lettuce.core.output.NestedMultiOutput<>(StringCodec.UTF8), RawCommand.args(words))));
    }
}

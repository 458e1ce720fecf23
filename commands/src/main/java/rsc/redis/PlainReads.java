package rsc.redis;

import rsc.error.RscException;
import rsc.model.Endpoint;
import rsc.model.Secret;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * {@link Reads} over plain sockets, for one-shot runs: a fresh JVM answers {@code sentinel status} in a few
 * milliseconds instead of first spending hundreds bringing up Lettuce and Netty. Addresses and passwords come from
 * the same functions the session gives {@link RedisGateway}. One connection per node, kept for the session; a kept
 * connection that turns out closed is opened again once (every command here is a read, so repeating it is safe).
 */
public final class PlainReads implements Reads, AutoCloseable {

    /** One node's connection and the lock that keeps its requests and replies in order. */
    private static final class Slot {
        RespConnection connection;

        void drop() {
            if (connection != null) {
                connection.close();
                connection = null;
            }
        }
    }

    private final Function<Endpoint, Endpoint> reachable;
    private final Function<Endpoint, Optional<Secret>> passwords;
    private final Executor executor;
    private final Map<Endpoint, Slot> slots = new ConcurrentHashMap<>();

    /**
     * @param reachable the backend's mapping from announced to reachable addresses
     * @param passwords the password of the group a node belongs to
     * @param executor  where {@link #sentinelReport} asks, so that sentinels are asked at the same time
     */
    public PlainReads(Function<Endpoint, Endpoint> reachable, Function<Endpoint, Optional<Secret>> passwords,
                      Executor executor) {
        this.reachable = reachable;
        this.passwords = passwords;
        this.executor = executor;
    }

    @Override
    public SentinelReads sentinel(Endpoint announced) {
        return new PlainSentinel(this, announced);
    }

    @Override
    public NodeReads node(Endpoint announced) {
        return new PlainNode(this, announced);
    }

    @Override
    public CompletableFuture<SentinelReport> sentinelReport(Endpoint announced, String group, boolean withReplicas) {
        return CompletableFuture.supplyAsync(() -> new PlainSentinel(this, announced).report(group, withReplicas),
                executor);
    }

    /** Sends the commands in one round trip; error replies come back as {@link RespError} values. */
    List<Object> ask(Endpoint announced, List<List<String>> commands) {
        Slot slot = slots.computeIfAbsent(announced, k -> new Slot());
        synchronized (slot) {
            while (true) {
                boolean fresh = slot.connection == null;
                if (fresh) {
                    slot.connection = connect(announced);
                }
                try {
                    return slot.connection.pipeline(commands);
                } catch (SocketTimeoutException e) {
                    slot.drop();
                    throw noReply(announced);
                } catch (IOException e) {
                    slot.drop();
                    if (fresh) {
                        throw new RscException(where(announced) + ": " + reason(e), e);
                    }
                    // closed since it was last used: once more, on a fresh connection
                }
            }
        }
    }

    /** One command's reply; an error reply is thrown. */
    Object askOne(Endpoint announced, String... words) {
        Object reply = ask(announced, List.of(List.of(words))).get(0);
        if (reply instanceof RespError e) {
            throw e;
        }
        return reply;
    }

    private RespConnection connect(Endpoint announced) {
        Endpoint reach = reachable.apply(announced);
        try {
            return RespConnection.open(new InetSocketAddress(reach.host(), reach.port()), passwords.apply(announced),
                    CONNECT_TIMEOUT, COMMAND_TIMEOUT);
        } catch (SocketTimeoutException e) {
            throw new RscException("cannot connect to " + where(announced) + ": no answer within "
                    + CONNECT_TIMEOUT.toSeconds() + " s", e);
        } catch (IOException e) {
            throw new RscException("cannot connect to " + where(announced) + ": " + reason(e), e);
        }
    }

    private RscException noReply(Endpoint announced) {
        return new RscException("no reply from " + where(announced) + " within " + COMMAND_TIMEOUT.toSeconds() + " s");
    }

    /** The announced address, and where it was reached when the backend maps it elsewhere. */
    private String where(Endpoint announced) {
        Endpoint reach = reachable.apply(announced);
        return reach.equals(announced) ? announced.toString() : announced + " (reached at " + reach + ")";
    }

    private static String reason(IOException e) {
        if (e instanceof EOFException) {
            return "the server closed the connection";
        }
        if (e instanceof UnknownHostException) {
            return "unknown host";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Closes every connection. */
    @Override
    public void close() {
        slots.values().forEach(s -> {
            synchronized (s) {
                s.drop();
            }
        });
        slots.clear();
    }

    /** {@code INFO server}'s {@code redis_version} of a node or sentinel. */
    static String version(PlainReads reads, Endpoint endpoint) {
        Object r = reads.askOne(endpoint, "INFO", "server");
        if (!(r instanceof String info)) {
            throw new rsc.error.RscException(endpoint + " answered INFO server with '" + r + "', not text");
        }
        return InfoParser.version(InfoParser.parse(info));
    }
}

package rsc.ops;

import rsc.backend.ConsoleAddress;
import rsc.backend.Progress;
import rsc.error.CancelledException;
import rsc.error.RscException;
import rsc.model.Endpoint;
import rsc.model.Node;
import rsc.model.Secret;
import rsc.redis.RdbCheck;
import rsc.redis.RdbServer;
import rsc.redis.RdbSummary;
import rsc.redis.RedisNodeClient;
import rsc.redis.Replication;
import rsc.result.CommandResult;
import rsc.session.Session;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code restore}: a new group whose master starts with a backup's data. The master is created as
 * {@code create-master} creates one, then told {@code REPLICAOF} a one-shot master rsc runs ({@link RdbServer}), which
 * hands it the file as a full resync; once its link is up and it holds every key of the file it is made a master again
 * ({@code REPLICAOF NO ONE}). Only a port on the console's machine is needed, so it is the same on both backends (a
 * Swarm task on another machine connects back to the manager's address). Anything that fails removes the new group.
 */
public final class Restore {

    /**
     * @param group        the new group
     * @param file         the RDB file
     * @param port         the master's port (local backend)
     * @param password     the new group's password, or empty for {@code --no-auth}
     * @param serveAddress the address the new master connects to for the file (default: the backend's)
     */
    public record Request(String group, Path file, Optional<Integer> port, Optional<Secret> password,
                          Optional<String> serveAddress) {
    }

    private Restore() {
    }

    /** What {@link #run} would do, for {@code --dry-run}: checks the file and the name, starts nothing. */
    public static CommandResult plan(Session session, Request r) {
        RdbSummary rdb = check(session, r);
        Plan p = new Plan("restore " + r.group() + " --from " + r.file());
        p.backend("rsc", List.of("read " + r.file() + ": RDB version " + rdb.version() + ", " + rdb.keys() + " keys, checksum "
                + rdb.checksum()));
        p.backend(session.backend().name(), session.backend().planStart(rsc.backend.NodeSpec.master(r.group(), r.port(),
                NodeConfig.redisDefaults()).withPassword(r.password()), 0));
        String at = serveAddress(session, r) + ":<free port>";
        p.backend("rsc", List.of("listen on " + at + " and serve the file once, as a master would (PSYNC -> +FULLRESYNC)"));
        p.redis(r.group() + "-redis-1", "REPLICAOF " + at.replace(':', ' '));
        p.await(r.group() + "-redis-1 has loaded it (master_link_status:up) and holds " + rdb.keys() + " keys");
        p.redis(r.group() + "-redis-1", "REPLICAOF NO ONE");
        return p.note("on any failure the new group is removed; then '" + r.group() + "' becomes the current group").result();
    }

    public static CommandResult run(Session session, Request r, Progress progress) throws InterruptedException {
        RdbSummary rdb = check(session, r);
        long start = System.nanoTime();
        Node node = CreateMaster.start(session, r.group(), r.port(), r.password(), rsc.model.Persistence.NONE, progress);
        String bind = serveAddress(session, r);
        try (RdbServer server = RdbServer.start(listenOn(bind), r.password(), r.file())) {
            RedisNodeClient redis = session.redis().node(node.announced());
            String version = redis.version();
            if (rdb.version() > RdbSummary.versionWrittenBy(version)) {
                throw new RscException(r.file() + " is RDB version " + rdb.version() + "; " + node.name() + " runs Redis "
                        + version + ", which reads up to version " + RdbSummary.versionWrittenBy(version)
                        + " (no Redis loads a file of a newer one)");
            }
            Endpoint served = new Endpoint(bind, server.port());
            redis.replicaOf(served);
            Duration limit = Duration.ofSeconds(60 + rdb.bytes() / (5L * 1024 * 1024));
            Waiter.until(limit, Duration.ofMillis(200), progress, () -> loaded(session, node, server, rdb),
                    () -> status(server, rdb, node),
                    last -> node.name() + " did not load " + r.file() + " within " + limit.toSeconds() + " s (" + last + ")"
                            + (server.requests() == 0 ? "; can it reach " + served + "? --serve-address HOST names the"
                            + " address it should connect to" : ""));
            long keys = redis.keyCount();
            if (keys != rdb.keys()) {
                throw new RscException(node.name() + " holds " + keys + " keys after loading " + r.file() + ", which has "
                        + rdb.keys());
            }
            redis.replicaOfNoOne();
            if (!redis.replication().isMaster()) {
                throw new RscException(node.name() + " did not become a master again after REPLICAOF NO ONE");
            }
            session.console().use(r.group());
            CommandResult.Builder b = CommandResult.builder().ok(String.format(Locale.ROOT,
                    "restored %s from %s: %d keys (RDB version %d, %s) into its master %s at %s in %s (served from %s)",
                    r.group(), r.file(), keys, rdb.version(), Backup.size(rdb.bytes()), node.name(), node.reach(),
                    Waiter.since(start), served));
            return CreateMaster.report(session, b, r.group(), node, r.port(), r.password(), rsc.model.Persistence.NONE).build();
        } catch (InterruptedException | CancelledException e) {
            undo(session, r.group(), node);
            throw new CancelledException("restore cancelled: removed the new group '" + r.group() + "' (" + node.name() + ")");
        } catch (RuntimeException e) {
            undo(session, r.group(), node);
            throw new RscException("restore failed: " + e.getMessage() + "; removed the new group '" + r.group()
                    + "' (" + node.name() + ")", e);
        }
    }

    /** The file must be a whole RDB and the group new: both checked before anything starts. */
    private static RdbSummary check(Session session, Request r) {
        if (!Files.isRegularFile(r.file())) {
            throw new RscException("no file " + r.file() + " to restore from");
        }
        List<Node> existing = session.backend().nodes(r.group());
        if (!existing.isEmpty()) {
            throw new RscException("group '" + r.group() + "' already exists with " + existing.size()
                    + " node(s): restore makes a new group ('destroy " + r.group() + "' first, or choose another name)");
        }
        return RdbCheck.inspect(r.file());
    }

    private static Optional<Boolean> loaded(Session session, Node node, RdbServer server, RdbSummary rdb) {
        Replication repl = session.redis().node(node.announced()).replication();
        return server.sent() == rdb.bytes() && !repl.isMaster() && repl.linkUp() ? Optional.of(true) : Optional.empty();
    }

    /** The progress line; a node that asks again could not load the file (Waiter ignores what its check throws). */
    private static String status(RdbServer server, RdbSummary rdb, Node node) {
        if (server.requests() > 1) {
            throw new RscException(node.name() + " could not load the file and asked for it again (its log says why)");
        }
        if (server.requests() == 0) {
            return "waiting for " + node.name() + " to ask for the file"
                    + (server.refused().isEmpty() ? "" : " (turned away: " + server.refused() + ")");
        }
        return server.sent() < 0 ? "sending " + Backup.size(rdb.bytes()) + " to " + node.name()
                : node.name() + " is loading " + rdb.keys() + " keys";
    }

    /**
     * Where the new master connects to: {@code --serve-address}, else the backend's address for the console (Swarm:
     * the manager's), else loopback (the local backend's nodes run here).
     */
    static String serveAddress(Session session, Request r) {
        return r.serveAddress().orElseGet(() -> session.placingBackend() instanceof ConsoleAddress c
                ? c.consoleAddress() : "127.0.0.1");
    }

    /** Listen on the address itself when it is one of this machine's; else (behind NAT) on every interface. */
    private static String listenOn(String address) {
        try {
            InetAddress a = InetAddress.getByName(address);
            return a.isLoopbackAddress() || NetworkInterface.getByInetAddress(a) != null ? address : "0.0.0.0";
        } catch (java.io.IOException e) {
            throw new RscException("cannot serve the file at " + address + ": " + e.getMessage());
        }
    }

    private static void undo(Session session, String group, Node node) {
        try {
            session.redis().forget(node.announced());
            session.backend().destroy(group, Progress.NONE);
        } catch (RuntimeException e) {
            throw new RscException("restore failed and removing the new group '" + group + "' failed too ("
                    + e.getMessage() + "): 'destroy " + group + " --yes' removes it");
        } finally {
            session.secrets().forget(group);
            session.passwords().forget(group);
            session.console().groupGone(group);
        }
    }
}

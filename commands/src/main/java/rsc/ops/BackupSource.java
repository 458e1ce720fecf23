package rsc.ops;

import rsc.error.RscException;
import rsc.model.Node;
import rsc.redis.Replication;
import rsc.session.Session;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The replica a backup is taken from: one that follows the master with its link up and is nearly caught up (the master
 * lists it online, acknowledged within {@link NodeConfig#MIN_REPLICAS_MAX_LAG} s, at most {@link #MAX_LAG_BYTES}
 * behind); the least behind wins. Never the master: a snapshot forks the node that takes it, and a replica's fork
 * delays no application write.
 */
final class BackupSource {

    /** A replica further behind than this is not "in sync" for a backup. */
    static final long MAX_LAG_BYTES = 1024 * 1024;

    /**
     * @param replica   the node to take the snapshot from
     * @param master    the master it follows
     * @param lagBytes  how far behind the master it was when chosen
     */
    record Choice(Node replica, Node master, long lagBytes) {
    }

    private BackupSource() {
    }

    /** The replica to use, or a one-line error saying why each candidate does not qualify. */
    static Choice choose(Session session, Group group) throws InterruptedException {
        MasterLocator.Located located = MasterLocator.locate(session, group.name(), group.nodes())
                .orElseThrow(() -> new RscException("no master found in '" + group.name()
                        + "': a backup is taken from an in-sync replica of a running master"));
        Node master = located.node().orElseThrow(() -> new RscException("the master of '" + group.name() + "' ("
                + located.address() + ") is not one of its nodes"));
        Replication m = session.redis().node(master.announced()).replication();
        List<String> why = new ArrayList<>();
        List<Choice> fit = new ArrayList<>();
        for (Node n : group.redis()) {
            if (n.equals(master)) {
                continue;
            }
            if (!n.state().running()) {
                why.add(n.name() + " is " + n.state().name().toLowerCase(java.util.Locale.ROOT));
                continue;
            }
            Optional<String> reason;
            Long lag = null;
            try {
                Replication r = session.redis().node(n.announced()).replication();
                lag = ReplicaLag.bytes(session, m, n.announced());
                reason = unfit(session, master, m, n, r, lag);
            } catch (RuntimeException e) {
                reason = Optional.of("does not answer (" + e.getMessage() + ")");
            }
            if (reason.isPresent()) {
                why.add(n.name() + " " + reason.get());
            } else {
                fit.add(new Choice(n, master, lag));
            }
        }
        return fit.stream().min(Comparator.comparingLong(Choice::lagBytes).thenComparingInt(c -> c.replica().index()))
                .orElseThrow(() -> new RscException("no in-sync replica in '" + group.name() + "' to take the backup from"
                        + (why.isEmpty() ? " (it has none)" : ": " + String.join("; ", why))
                        + "; rsc never takes it from the master ('scale slaves 1' adds a replica)"));
    }

    private static Optional<String> unfit(Session session, Node master, Replication m, Node n, Replication r, Long lag) {
        if (r.isMaster()) {
            return Optional.of("says role:master");
        }
        if (r.master().isEmpty() || !ReplicaLinks.sameNode(session, r.master().get(), master.announced())) {
            return Optional.of("follows " + r.master().map(Object::toString).orElse("nothing") + ", not the master");
        }
        if (!r.linkUp()) {
            return Optional.of("has its link to the master down");
        }
        Optional<Replication.ReplicaLink> link = m.replicas().stream()
                .filter(l -> ReplicaLinks.sameNode(session, l.address(), n.announced())).findFirst();
        if (link.isEmpty() || !"online".equals(link.get().state()) || lag == null) {
            return Optional.of("is not listed online by the master");
        }
        if (link.get().lagSeconds() > NodeConfig.MIN_REPLICAS_MAX_LAG) {
            return Optional.of("last acknowledged " + link.get().lagSeconds() + " s ago");
        }
        if (lag > MAX_LAG_BYTES) {
            return Optional.of("is " + lag + " bytes behind the master");
        }
        return Optional.empty();
    }
}

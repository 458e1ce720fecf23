package rsc.ops;

import rsc.backend.NodeSpec;
import rsc.backend.Progress;
import rsc.backend.SentinelSettings;
import rsc.error.RscException;
import rsc.model.Node;
import rsc.redis.SentinelMaster;
import rsc.result.CommandResult;
import rsc.session.Session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Grows or shrinks the sentinels watching a group, one at a time: each new sentinel must see its peers before
 * the next starts; after removals the survivors are reset one by one so they forget the removed ones.
 */
public final class ScaleSentinels {

    public static final Duration PEER_TIMEOUT = Duration.ofSeconds(30);

    /** What the operator asked for besides the count. */
    public record Request(int count, Integer quorum, Optional<Integer> port, Long downAfterMs, Long failoverTimeoutMs,
                          boolean force) {
    }

    private ScaleSentinels() {
    }

    public static CommandResult run(Session session, String groupName, Request req, Progress progress)
            throws InterruptedException {
        int quorum = req.count() == 0 ? 0 : Quorum.choose(req.count(), req.quorum(), req.force());
        Group group = Group.require(session, groupName);
        List<Node> current = group.sentinels();
        CommandResult.Builder out = CommandResult.builder();
        SentinelSettings settings = settingsFor(session, groupName, group, quorum, req);
        if (req.count() > current.size()) {
            MasterLocator.Located master = MasterLocator.locate(session, groupName, group.nodes())
                    .orElseThrow(() -> new RscException("cannot find the master of '" + groupName
                            + "': sentinels need one to monitor ('status' shows the nodes)"));
            List<Node> started = new ArrayList<>();
            List<Node> all = new ArrayList<>(current.stream().filter(n -> n.state().running()).toList());
            try {
                for (int i = current.size(); i < req.count(); i++) {
                    NodeSpec spec = NodeSpec.sentinel(groupName, master.address(), req.port(), settings);
                    if (req.port().isPresent() && started.isEmpty()) {
                        spec = spec.withExactPort();
                    }
                    spec = spec.withPassword(session.passwords().of(groupName));
                    Node n = session.backend().start(spec, progress);
                    started.add(n);
                    all.add(n);
                    awaitPeers(session, groupName, all, progress);
                    // what 'sentinel set' gave the group (parallel-syncs); quorum and timings are set on all below
                    SettingsDrift.inherit(session, n, Optional.empty());
                }
            } catch (RuntimeException | InterruptedException e) {
                for (Node n : started) {
                    session.redis().forgetSentinel(n.announced());
                    session.backend().remove(n);
                }
                if (e instanceof InterruptedException ie) {
                    throw ie;
                }
                throw started.isEmpty() ? (RuntimeException) e : new RscException(((RuntimeException) e).getMessage()
                        + " (removed the " + started.size() + " sentinel(s) this command started)", e);
            }
            out.ok(groupName + ": started " + started.size() + " sentinel(s); " + req.count()
                    + " sentinel(s) monitor " + master.address() + " and see each other");
            Spread.report(out, started, Group.require(session, groupName).sentinels());
        } else if (req.count() < current.size()) {
            List<Node> victims = current.stream()
                    .sorted(Comparator.comparing((Node n) -> n.state().running())
                            .thenComparing(Comparator.comparingInt(Node::index).reversed()))
                    .limit(current.size() - req.count()).toList();
            for (Node n : victims) {
                progress.update("removing " + n.name());
                session.redis().forgetSentinel(n.announced());
                session.backend().remove(n);
            }
            out.ok(groupName + ": removed " + String.join(", ", victims.stream().map(Node::name).toList())
                    + "; " + req.count() + " sentinel(s) left");
            List<Node> survivors = current.stream().filter(n -> !victims.contains(n) && n.state().running()).toList();
            if (!survivors.isEmpty()) {
                SentinelReset.resetOneByOne(session, groupName, survivors, progress);
                out.info("reset " + survivors.size() + " sentinel(s) one at a time so they forget the removed ones");
            }
        } else {
            out.ok(groupName + ": already " + req.count() + " sentinel(s)");
        }
        if (req.count() > 0) {
            applySettings(session, groupName, settings, progress);
            out.info("quorum " + settings.quorum() + " of " + req.count() + ", down-after " + settings.downAfterMs()
                    + " ms, failover-timeout " + settings.failoverTimeout() + " ms");
        }
        if (req.count() > 0 && req.count() < 3) {
            out.warn(req.count() + " sentinel(s) cannot survive the loss of one and still authorise a failover: "
                    + "use at least 3, in separate failure domains");
        }
        return out.build();
    }

    /** What {@link #run} would do, for {@code --dry-run}. */
    public static CommandResult plan(Session session, String groupName, Request req) throws InterruptedException {
        int quorum = req.count() == 0 ? 0 : Quorum.choose(req.count(), req.quorum(), req.force());
        Group group = Group.require(session, groupName);
        List<Node> current = group.sentinels();
        SentinelSettings settings = settingsFor(session, groupName, group, quorum, req);
        Plan p = new Plan("scale sentinels " + req.count() + " --group " + groupName);
        String b = session.backend().name();
        if (req.count() > current.size()) {
            MasterLocator.Located master = MasterLocator.locate(session, groupName, group.nodes())
                    .orElseThrow(() -> new RscException("cannot find the master of '" + groupName + "'"));
            for (int i = current.size(); i < req.count(); i++) {
                p.backend(b, session.backend().planStart(NodeSpec.sentinel(groupName, master.address(), req.port(), settings)
                        .withPassword(session.passwords().of(groupName)), i - current.size()));
                p.await((i + 1) + " sentinel(s) monitor " + groupName + " and see each other (SENTINEL MASTER)");
            }
        }
        List<Node> victims = current.stream().sorted(Comparator.comparing((Node n) -> n.state().running())
                .thenComparing(Comparator.comparingInt(Node::index).reversed())).limit(Math.max(0, current.size() - req.count())).toList();
        for (Node v : victims) {
            p.backend(b, session.backend().planRemove(v));
        }
        if (!victims.isEmpty()) {
            SentinelReset.planOneByOne(p, groupName,
                    current.stream().filter(n -> !victims.contains(n) && n.state().running()).toList());
        }
        if (req.count() > 0) {
            p.redis("every sentinel", "SENTINEL SET " + groupName + " quorum " + settings.quorum()
                    + " down-after-milliseconds " + settings.downAfterMs() + " failover-timeout " + settings.failoverTimeout());
        }
        return p.result();
    }

    /** Keeps the group's current timings unless the operator gave new ones. */
    private static SentinelSettings settingsFor(Session session, String group, Group g, int quorum, Request req) {
        long downAfter = SentinelSettings.DEFAULT_DOWN_AFTER_MS;
        long failover = SentinelSettings.DEFAULT_FAILOVER_TIMEOUT_MS;
        for (Node s : g.runningSentinels()) {
            try {
                Optional<SentinelMaster> m = session.redis().sentinel(s.announced()).master(group);
                if (m.isPresent()) {
                    downAfter = m.get().downAfterMs();
                    failover = m.get().failoverTimeout();
                    break;
                }
            } catch (RuntimeException e) {
                // ask the next one
            }
        }
        return new SentinelSettings(quorum,
                req.downAfterMs() != null ? req.downAfterMs() : downAfter,
                req.failoverTimeoutMs() != null ? req.failoverTimeoutMs() : failover);
    }

    static void awaitPeers(Session session, String group, List<Node> sentinels, Progress progress)
            throws InterruptedException {
        int others = sentinels.size() - 1;
        Waiter.until(PEER_TIMEOUT, Duration.ofMillis(200), progress, () -> {
            for (Node s : sentinels) {
                Optional<SentinelMaster> m = session.redis().sentinel(s.announced()).master(group);
                if (m.isEmpty() || m.get().otherSentinels() < others) {
                    return Optional.empty();
                }
            }
            return Optional.of(true);
        }, () -> "waiting for " + sentinels.size() + " sentinel(s) to see each other",
                last -> "the sentinels did not all see each other within " + PEER_TIMEOUT.toSeconds()
                        + " s (" + last + ")");
    }

    private static void applySettings(Session session, String group, SentinelSettings s, Progress progress) {
        for (Node n : session.backend().nodes(group).stream().filter(x -> x.isSentinel() && x.state().running()).toList()) {
            progress.update("SENTINEL SET " + group + " on " + n.name());
            var c = session.redis().sentinel(n.announced());
            c.set(group, "quorum", Integer.toString(s.quorum()));
            c.set(group, "down-after-milliseconds", Long.toString(s.downAfterMs()));
            c.set(group, "failover-timeout", Long.toString(s.failoverTimeout()));
        }
    }
}

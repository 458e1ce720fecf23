package rsc.ops;

import rsc.backend.Progress;
import rsc.error.RscException;
import rsc.error.UsageException;
import rsc.command.ValueType;
import rsc.model.Node;
import rsc.ops.LiveConfig.SentinelParam;
import rsc.redis.SentinelMaster;
import rsc.result.CommandResult;
import rsc.result.Severity;
import rsc.result.Table;
import rsc.session.Session;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code sentinel set}: one of the timings or the quorum of a group on every sentinel ({@code SENTINEL SET}, which
 * Sentinel writes to its own config file at once), then read back from every sentinel. A quorum below a majority of
 * the group's sentinels is refused unless forced: a minority could then declare the master down while no failover
 * can be authorised.
 */
public final class SentinelSet {

    private SentinelSet() {
    }

    public static CommandResult run(Session session, String g, SentinelParam param, String raw, boolean force,
                                    Progress progress) throws InterruptedException {
        Group group = Group.require(session, g);
        long value = checked(group, param, raw, force);
        List<Node> sentinels = running(group);
        List<String> failed = new ArrayList<>();
        List<Long> before = new ArrayList<>();
        for (int i = 0; i < sentinels.size(); i++) {
            Node n = sentinels.get(i);
            GroupConfig.stopIfInterrupted(sentinels, i, "sentinel set " + param.sentinelName() + " " + value);
            progress.update("SENTINEL SET " + g + " " + param.sentinelName() + " " + value + " on " + n.name()
                    + " (" + (i + 1) + "/" + sentinels.size() + ")");
            try {
                var c = session.redis().sentinel(n.announced());
                before.add(c.master(g).map(m -> of(param, m)).orElse(null));
                c.set(g, param.sentinelName(), Long.toString(value));
            } catch (RuntimeException e) {
                before.add(null);
                failed.add(n.name() + ": " + e.getMessage());
            }
        }
        var now = Fanout.ask(session.pool(), sentinels, n -> session.redis().sentinel(n.announced()).master(g), 3000);
        Table.Builder t = Table.ofGroup(g, "sentinel settings", "sentinel", "before", "now");
        for (int i = 0; i < sentinels.size(); i++) {
            var a = now.get(i);
            Long v = a.ok() ? a.value().map(m -> of(param, m)).orElse(null) : null;
            t.row(sentinels.get(i).name(), before.get(i) == null ? "-" : before.get(i),
                    new Table.Cell(v == null ? "(no answer)" : v, v != null && v == value ? Severity.OK : Severity.ERROR));
            if (v == null || v != value) {
                failed.add(sentinels.get(i).name() + " reports " + param.sentinelName() + " "
                        + (v == null ? "nothing (" + Optional.ofNullable(a.error()).orElse("it does not monitor " + g) + ")" : v)
                        + ", not " + value);
            }
        }
        CommandResult.Builder b = CommandResult.builder().add(t.build());
        failed.stream().distinct().forEach(b::error);
        stopped(group).forEach(n -> b.warn(n.name() + " is not running: it copies " + param.sentinelName()
                + " from a peer when it starts again"));
        if (failed.isEmpty()) {
            b.ok(g + ": " + param.sentinelName() + " is " + value + " on all " + sentinels.size() + " running sentinel(s); "
                    + "kept across restarts (each sentinel's config file; a restarted sentinel takes its peers' values)");
        } else {
            b.failed();
        }
        return b.build();
    }

    public static CommandResult plan(Session session, String g, SentinelParam param, String raw, boolean force) {
        Group group = Group.require(session, g);
        long value = checked(group, param, raw, force);
        Plan p = new Plan("sentinel set " + param.sentinelName() + " on " + g);
        for (Node n : running(group)) {
            p.redis(n.name(), "SENTINEL SET " + g + " " + param.sentinelName() + " " + value);
        }
        p.await("every running sentinel reports " + param.sentinelName() + " " + value + " (SENTINEL MASTER " + g + ")");
        stopped(group).forEach(n -> p.note(n.name() + " is not running: it copies the value from a peer when it starts again"));
        return p.result();
    }

    /** The value of {@code param} in one sentinel's view. */
    public static long of(SentinelParam param, SentinelMaster m) {
        return switch (param) {
            case DOWN_AFTER -> m.downAfterMs();
            case FAILOVER_TIMEOUT -> m.failoverTimeout();
            case QUORUM -> m.quorum();
            case PARALLEL_SYNCS -> m.parallelSyncs();
        };
    }

    /** The typed value, checked: milliseconds for the timings, 1..1000 for parallel-syncs, the majority rule for quorum. */
    static long checked(Group group, SentinelParam param, String raw, boolean force) {
        String label = "VALUE of " + param.sentinelName();
        switch (param) {
            case DOWN_AFTER, FAILOVER_TIMEOUT:
                return (Long) ValueType.MILLIS.parse(raw, label);
            case PARALLEL_SYNCS: {
                int n = (Integer) ValueType.COUNT.parse(raw, label);
                if (n < 1) {
                    throw new UsageException(label + " must be at least 1 (replicas reconfigured at once after a failover)");
                }
                return n;
            }
            default: {
                int q = (Integer) ValueType.COUNT.parse(raw, label);
                int n = group.sentinels().size();
                if (n == 0) {
                    throw new RscException("'" + group.name() + "' has no sentinels ('scale sentinels 3')");
                }
                if (q < 1 || q > n) {
                    throw new UsageException("quorum must be from 1 to the number of sentinels (" + n + "), not " + q);
                }
                if (q < Quorum.majority(n) && !force) {
                    throw new RscException("quorum " + q + " of " + n + " sentinels is not a majority (" + Quorum.majority(n)
                            + "): a minority could declare the master down while no failover can be authorised; "
                            + "pass --force to accept it anyway");
                }
                return q;
            }
        }
    }

    private static List<Node> running(Group group) {
        List<Node> sentinels = group.runningSentinels();
        if (sentinels.isEmpty()) {
            throw new RscException("'" + group.name() + "' has no running sentinels ('scale sentinels 3')");
        }
        return sentinels;
    }

    private static List<Node> stopped(Group group) {
        return group.sentinels().stream().filter(n -> !n.state().running()).toList();
    }
}

package rsc.ops;

import rsc.backend.Progress;
import rsc.backend.SecretRollout;
import rsc.error.RscException;
import rsc.model.Node;
import rsc.result.Severity;
import rsc.secrets.Rotation;
import rsc.session.Session;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Every node of a group restarted onto a staged password, one at a time: the replicas first (each back, linked and
 * caught up before the next), then the master, moved first by the {@link MasterSwitch} that loses no write, then the
 * sentinels (each seeing its peers again before the next). A node already on the staged password is skipped, so a
 * second run goes on where an interrupted one stopped.
 */
final class RollingRestart {

    static final Duration NODE_TIMEOUT = Duration.ofSeconds(90);

    /** How often the rotation asks for the master's move when an attempt changed nothing. */
    private static final int SWITCH_ATTEMPTS = 3;

    private RollingRestart() {
    }

    static void run(Session session, Group group, SecretRollout rollout, Rotation rotation, Progress progress)
            throws InterruptedException {
        String g = group.name();
        rollout.stage(g, rotation.next(), progress);
        Node master = master(session, group);
        List<Node> replicas = group.redis().stream().filter(n -> !n.name().equals(master.name())).toList();
        for (Node r : replicas) {
            if (!rollout.runsStaged(r)) {
                rollout.restartStaged(r, progress);
            }
            back(session, g, progress);     // also a node an interrupted run left starting
            keepWindow(session, r, rotation);
        }
        if (!rollout.runsStaged(master)) {
            if (replicas.isEmpty() || group.sentinels().isEmpty()) {
                throw new RscException(master.name() + " is the master of '" + g + "' and has no "
                        + (replicas.isEmpty() ? "replica" : "sentinel") + " to hand over to: restarting it would lose its"
                        + " data (nodes run without persistence); 'scale slaves 1' and 'scale sentinels 3' first");
            }
            progress.update(g + ": moving the master off " + master.name() + " before its restart");
            moveMaster(session, group, master, progress);
            rollout.restartStaged(master, progress);
        }
        back(session, g, progress);
        keepWindow(session, master, rotation);
        List<Node> sentinels = group.sentinels();
        for (Node s : sentinels) {
            if (!rollout.runsStaged(s)) {
                rollout.restartStaged(s, progress);
            }
            ScaleSentinels.awaitPeers(session, g, Group.require(session, g).sentinels(), progress);
            keepWindow(session, s, rotation);
        }
    }

    /**
     * Moves the master off {@code master}. Right after the replicas' restarts a sentinel may still be meeting their new
     * tasks, and a switch that changed nothing (the sentinels still name the old master, none failing over) is asked
     * again, up to {@link #SWITCH_ATTEMPTS} times; any other outcome stops the rotation with what it left.
     */
    private static void moveMaster(Session session, Group group, Node master, Progress progress) throws InterruptedException {
        String g = group.name();
        for (int attempt = 1; ; attempt++) {
            try {
                MasterSwitch.run(session, g, new MasterSwitch.Request(Optional.empty(), true, Duration.ofSeconds(30), false),
                        progress);
                SentinelAgreement.await(session, g, group.sentinels(), NODE_TIMEOUT, progress);
                return;
            } catch (RscException e) {
                if (attempt >= SWITCH_ATTEMPTS || !unchanged(session, group, master, progress)) {
                    throw e;
                }
                progress.update(g + ": moving the master failed and changed nothing (" + e.getMessage() + "); asking again ("
                        + (attempt + 1) + " of " + SWITCH_ATTEMPTS + ")");
            }
        }
    }

    /** The sentinels agree the master is still {@code master}, and it is not fenced: a failed switch left nothing. */
    private static boolean unchanged(Session session, Group group, Node master, Progress progress) throws InterruptedException {
        try {
            SentinelAgreement.await(session, group.name(), group.sentinels(), Duration.ofSeconds(20), progress);
            Group now = Group.require(session, group.name());
            return master(session, now).name().equals(master.name())
                    && WriteFence.liftWhereSafe(session, now).stream().noneMatch(f -> f.severity() == Severity.ERROR);
        } catch (RscException e) {
            return false;
        }
    }

    /**
     * A node restarted onto the new password alone lets the old one in again until the window closes, as every other
     * node does (rsc reaches it with the new one: it switched before the restarts). On Swarm its node script already
     * took the sentinels' passwords at its start; this also covers a backend whose nodes do not.
     */
    private static void keepWindow(Session session, Node restarted, Rotation rotation) {
        if (restarted.isSentinel()) {
            session.redis().forgetSentinel(restarted.announced());
            session.redis().sentinel(restarted.announced()).passwords().add(rotation.old());
        } else {
            session.redis().forget(restarted.announced());
            session.redis().node(restarted.announced()).passwords().add(rotation.old());
        }
    }

    /** The group healthy again after a restart: every replica linked to the master, the sentinels' quorum OK. */
    private static void back(Session session, String g, Progress progress) throws InterruptedException {
        PasswordRotation.healthy(session, Group.require(session, g), progress);
    }

    private static Node master(Session session, Group group) throws InterruptedException {
        return MasterLocator.locate(session, group.name(), group.nodes()).flatMap(MasterLocator.Located::node)
                .orElseThrow(() -> new RscException("cannot find the master of '" + group.name() + "' among its nodes"));
    }

    static void plan(Plan p, Session session, Group group, SecretRollout rollout) throws InterruptedException {
        String backend = session.backend().name();
        p.backend(backend, rollout.planStage(group.name()));
        Node master = master(session, group);
        for (Node r : group.redis()) {
            if (!r.name().equals(master.name())) {
                p.backend(backend, rollout.planRestartStaged(r));
                p.await(r.name() + " runs, linked to the master and caught up; CKQUORUM OK");
            }
        }
        p.redis(master.name(), "failover (writes paused, no acknowledged write lost: see 'failover --dry-run')");
        p.backend(backend, rollout.planRestartStaged(master));
        p.await(master.name() + " runs as a replica of the new master, linked and caught up");
        for (Node s : group.sentinels()) {
            p.backend(backend, rollout.planRestartStaged(s));
            p.await(s.name() + " sees its peers again");
        }
    }
}

package rsc.ops;

import rsc.backend.Progress;
import rsc.backend.Upgrading;
import rsc.error.CancelledException;
import rsc.error.RscException;
import rsc.model.Endpoint;
import rsc.model.Finding;
import rsc.model.Node;
import rsc.model.RedisVersion;
import rsc.result.CommandResult;
import rsc.result.Message;
import rsc.result.Severity;
import rsc.result.Table;
import rsc.session.Session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * {@code upgrade}: a group onto another Redis build, one node at a time, never without a master that takes writes.
 * Replicas first (each linked, caught up and seen up by every sentinel before the next), then the paused
 * {@link MasterSwitch} to an upgraded replica, then the old master (back as a replica), then the sentinels (each
 * seeing its peers before the next); before each step every sentinel says CKQUORUM OK and names the same master.
 * Nodes already on the target are skipped, so a run that stopped (Ctrl-C, a failed check) is continued by running it
 * again. Nothing is restarted while {@code doctor} finds an error.
 */
public final class Upgrade {

    /** What the operator asked: the target ({@code --image} or {@code --binary}) and the failover's timeout. */
    public record Request(Optional<String> image, Optional<String> binary, Duration timeout) {
    }

    /** One node restarted on the target. */
    private record Step(Node node, String from, String to, double seconds) {
    }

    private Upgrade() {
    }

    public static CommandResult plan(Session session, String groupName, Request req) throws InterruptedException {
        Upgrading u = capable(session, groupName);
        Upgrading.Target t = u.target(req.image(), req.binary());
        Group group = Group.require(session, groupName);
        Plan p = new Plan("upgrade " + groupName + " " + t.option());
        p.note("target: " + t.label() + t.version().map(v -> " (Redis " + v + ")").orElse(""));
        List<String> errors = doctorErrors(session, groupName);
        if (!errors.isEmpty()) {
            p.note("refused as things stand: doctor finds " + String.join("; ", errors));
        }
        checkDirection(session, group, t).ifPresent(p::note);
        Endpoint master = masterOf(session, groupName, group);
        List<Node> replicas = todo(u, t, group.redis().stream().filter(n -> !isAt(session, n, master)).toList());
        Optional<Node> oldMaster = group.redis().stream().filter(n -> isAt(session, n, master) && !u.runs(n, t)).findFirst();
        List<Node> sentinels = todo(u, t, group.sentinels());
        group.nodes().stream().filter(n -> u.runs(n, t)).forEach(n -> p.note(n.name() + " runs the target already: skipped"));
        p.await("doctor finds no error in " + groupName);
        for (Node r : replicas) {
            p.await("every sentinel says CKQUORUM OK and names the same master")
                    .backend(session.placingBackend().name(), u.planReplace(r, t, Optional.of(master)))
                    .await(r.name() + " is linked, at the master's offset, and seen up by every sentinel");
        }
        if (oldMaster.isPresent()) {
            Optional<Node> next = replicas.stream().findFirst().or(() -> group.redis().stream()
                    .filter(n -> !isAt(session, n, master) && u.runs(n, t)).findFirst());
            String to = next.map(Node::name).orElse("an upgraded replica");
            p.await("every sentinel says CKQUORUM OK and names the same master")
                    .redis("rsc", "failover " + groupName + " --to " + to + " (writes paused, fenced: 'failover --dry-run' lists its calls)")
                    .await("every sentinel names " + to)
                    .backend(session.placingBackend().name(), u.planReplace(oldMaster.get(), t,
                            Optional.of(next.map(Node::announced).orElse(master))))
                    .await(oldMaster.get().name() + " is linked to " + to + " and caught up");
        }
        for (Node s : sentinels) {
            p.await("every sentinel says CKQUORUM OK and names the same master")
                    .backend(session.placingBackend().name(), u.planReplace(s, t, Optional.empty()))
                    .await(s.name() + " names the master and sees its " + (group.sentinels().size() - 1) + " peer(s)");
        }
        if (replicas.isEmpty() && oldMaster.isEmpty() && sentinels.isEmpty()) {
            p.note("every node runs the target already: nothing to do");
        }
        return p.result();
    }

    public static CommandResult run(Session session, String groupName, Request req, Progress progress)
            throws InterruptedException {
        Upgrading u = capable(session, groupName);
        Upgrading.Target t = u.target(req.image(), req.binary());
        Group group = Group.require(session, groupName);
        List<String> errors = doctorErrors(session, groupName);
        if (!errors.isEmpty()) {
            throw new RscException("doctor finds errors in '" + groupName + "': " + String.join("; ", errors)
                    + "; nothing was restarted: fix them first ('doctor " + groupName + "')");
        }
        if (group.runningSentinels().isEmpty()) {
            throw new RscException("'" + groupName + "' has no running sentinels: its master cannot be moved to an "
                    + "upgraded replica ('scale sentinels 3')");
        }
        checkDirection(session, group, t).ifPresent(why -> {
            throw new RscException(why);
        });
        u.adopt(groupName, t);
        List<Step> done = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Run run = new Run(session, groupName, u, t, progress, done, notes);
        try {
            run.all(req);
        } catch (InterruptedException | CancelledException e) {
            Thread.currentThread().interrupt();
            String said = e.getMessage() == null || e.getMessage().equals("cancelled") ? "" : " (" + e.getMessage() + ")";
            throw new CancelledException("cancelled" + said + ": " + run.state());
        } catch (RuntimeException e) {
            throw new RscException(e.getMessage() + "; " + run.state(), e);
        }
        return result(session, groupName, t, done, notes);
    }

    /** One run's steps and what it has done so far, so a stop can say where it left the group. */
    private record Run(Session session, String group, Upgrading u, Upgrading.Target t, Progress progress, List<Step> done,
                       List<String> notes) {

        void all(Request req) throws InterruptedException {
            Group g = Group.require(session, group);
            Endpoint master = UpgradeChecks.between(session, group, progress);
            for (Node r : todo(u, t, g.redis().stream().filter(n -> !isAt(session, n, master)).toList())) {
                sameMaster(master, UpgradeChecks.between(session, group, progress));
                Node back = replace(r, Optional.of(master));
                UpgradeChecks.replicaBack(session, group, back, master, Group.require(session, group).runningSentinels(), progress);
            }
            g = Group.require(session, group);
            Optional<Node> old = g.redis().stream().filter(n -> isAt(session, n, master) && !u.runs(n, t)).findFirst();
            Endpoint now = master;
            if (old.isPresent()) {
                Node to = g.redis().stream().filter(n -> !isAt(session, n, master) && n.state().running() && u.runs(n, t))
                        .findFirst().orElseThrow(() -> new RscException("no running replica on the target to move the master to: "
                                + "'scale slaves 1' first (a master restarted without persistence would come back empty)"));
                sameMaster(master, UpgradeChecks.between(session, group, progress));
                say("moving the master " + old.get().name() + " -> " + to.name() + " (writes paused)");
                MasterSwitch.Outcome o = MasterSwitch.run(session, group,
                        new MasterSwitch.Request(Optional.of(to.name()), true, req.timeout(), false), progress);
                notes.add("failover " + o.from() + " -> " + o.to() + ": writes paused " + o.heldMs() + " ms (bound "
                        + o.boundMs() + " ms)");
                notes.addAll(o.notes());
                now = UpgradeChecks.between(session, group, progress);
                Node back = replace(old.get(), Optional.of(now));
                UpgradeChecks.replicaBack(session, group, back, now, Group.require(session, group).runningSentinels(), progress);
            }
            List<Node> sentinels = Group.require(session, group).sentinels();
            for (Node s : todo(u, t, sentinels)) {
                sameMaster(now, UpgradeChecks.between(session, group, progress));
                Node back = replace(s, Optional.empty());
                UpgradeChecks.sentinelBack(session, group, back, sentinels.size() - 1, now, progress);
            }
            UpgradeChecks.between(session, group, progress);
        }

        /** A master that moved under the upgrade (a failover of Sentinel's own) stops it: the plan was made for the other. */
        private void sameMaster(Endpoint expected, Endpoint now) {
            if (!ReplicaLinks.sameNode(session, expected, now)) {
                throw new RscException("the master of '" + group + "' moved during the upgrade (" + expected + " -> " + now
                        + "), not by rsc: the upgrade stops here");
            }
        }

        private Node replace(Node n, Optional<Endpoint> replicaOf) throws InterruptedException {
            String from = UpgradeChecks.versionNow(session, n);
            say("restarting " + n.name() + " (Redis " + from + ") on " + t.label());
            long start = System.nanoTime();
            Node back = u.replace(n, t, replicaOf, progress);
            session.redis().forget(back.announced());
            session.redis().forgetSentinel(back.announced());
            String to = UpgradeChecks.versionOf(session, back);
            done.add(new Step(back, from, to, (System.nanoTime() - start) / 1e9));
            if (!back.isSentinel()) {
                refuseOlderFormat(back, to, from);
            }
            say(n.name() + " runs Redis " + to + " now");
            return back;
        }

        /** On Swarm an image's version is known only once a node runs it: a replica that cannot read the master's RDB stops the run. */
        private void refuseOlderFormat(Node n, String to, String from) {
            Optional<RedisVersion> now = RedisVersion.parse(to);
            Optional<RedisVersion> before = RedisVersion.parse(from);
            if (now.isPresent() && before.isPresent() && now.get().rdbFormat() < before.get().rdbFormat()) {
                throw new RscException(n.name() + " now runs Redis " + to + ", which cannot load the RDB format "
                        + before.get().rdbFormat() + " of Redis " + from + ": it will not sync from the master. There is "
                        + "no way back across RDB formats: put the old " + t.option().split(" ")[0] + " back on " + n.name());
            }
        }

        private void say(String line) {
            progress.update(line);
            session.ui().notice(Message.info(group + ": upgrade: " + line));
        }

        /** Where a stop leaves the group, in one sentence. */
        String state() {
            List<String> on = done.stream().map(s -> s.node().name()).toList();
            List<String> left = new ArrayList<>();
            List<String> down = new ArrayList<>();
            try {
                for (Node n : Group.require(session, group).nodes()) {
                    if (!u.runs(n, t)) {
                        left.add(n.name());
                    }
                    if (!n.state().running()) {
                        down.add(n.name() + " (" + n.state().name().toLowerCase(java.util.Locale.ROOT) + ")");
                    }
                }
            } catch (RuntimeException e) {
                left.add("(could not list the nodes: " + e.getMessage() + ")");
            }
            return (on.isEmpty() ? "no node was restarted" : "restarted on the target: " + String.join(", ", on))
                    + (left.isEmpty() ? "" : "; still on the old build: " + String.join(", ", left))
                    + (down.isEmpty() ? "; every node runs" : "; not running now: " + String.join(", ", down))
                    + " (rsc leaves no node it restarted stopped); 'upgrade " + group + " " + t.option()
                    + "' again continues where this stopped";
        }
    }

    private static CommandResult result(Session session, String g, Upgrading.Target t, List<Step> done, List<String> notes) {
        CommandResult.Builder b = CommandResult.builder();
        if (done.isEmpty()) {
            return b.ok(g + ": every node runs " + t.label() + " already; nothing restarted").build();
        }
        Table.Builder table = Table.ofGroup(g, "upgraded", "node", "from", "to", "seconds");
        for (Step s : done) {
            table.row(s.node().name(), s.from(), s.to(), String.format(java.util.Locale.ROOT, "%.1f", s.seconds()));
        }
        b.add(table.build());
        b.ok(g + ": upgraded " + done.size() + " node(s) to " + t.label() + ", one at a time; every sentinel says "
                + "CKQUORUM OK and names the same master");
        notes.forEach(b::info);
        return b.build();
    }

    private static Upgrading capable(Session session, String groupName) {
        if (session.attached().find(groupName).isPresent()) {
            throw new RscException("'" + groupName + "' is attached: rsc upgrades only groups whose nodes it runs");
        }
        return session.placingBackend().upgrading().orElseThrow(() -> new RscException(
                "the " + session.placingBackend().name() + " backend cannot run nodes on another build"));
    }

    private static List<String> doctorErrors(Session session, String groupName) throws InterruptedException {
        return Doctor.examine(session, groupName).stream().filter(f -> f.severity() == Severity.ERROR)
                .map(Finding::what).toList();
    }

    /**
     * A target known to write an older RDB format than a data node runs now: its replicas could not sync from the
     * master (7.0 writes RDB 10, 6.2 reads up to 9). Said before anything is restarted.
     */
    private static Optional<String> checkDirection(Session session, Group group, Upgrading.Target t) {
        if (t.version().isEmpty()) {
            return Optional.empty();
        }
        RedisVersion target = t.version().get();
        return group.redis().stream().filter(n -> n.state().running())
                .map(n -> RedisVersion.parse(UpgradeChecks.versionNow(session, n)).map(v -> new Object[]{n, v}))
                .flatMap(Optional::stream)
                .filter(a -> ((RedisVersion) a[1]).rdbFormat() > target.rdbFormat()).findFirst()
                .map(a -> "refused: " + ((Node) a[0]).name() + " runs Redis " + a[1] + " (RDB format "
                        + ((RedisVersion) a[1]).rdbFormat() + ") and " + t.label() + " is Redis " + target + " (RDB format "
                        + target.rdbFormat() + "): a replica on it cannot load the master's RDB, so there is no way back "
                        + "across RDB formats; nothing was restarted");
    }

    private static Endpoint masterOf(Session session, String groupName, Group group) throws InterruptedException {
        return MasterLocator.locate(session, groupName, group.nodes()).map(MasterLocator.Located::address)
                .orElseThrow(() -> new RscException("no master of '" + groupName + "' is known: the upgrade needs one"));
    }

    private static boolean isAt(Session session, Node n, Endpoint master) {
        return ReplicaLinks.sameNode(session, n.announced(), master);
    }

    /** The nodes not on the target yet, by name. */
    private static List<Node> todo(Upgrading u, Upgrading.Target t, List<Node> nodes) {
        return nodes.stream().filter(n -> !u.runs(n, t)).sorted(Comparator.comparing(Node::name)).toList();
    }
}

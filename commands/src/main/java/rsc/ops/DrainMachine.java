package rsc.ops;

import rsc.backend.Machines;
import rsc.backend.Progress;
import rsc.error.CancelledException;
import rsc.error.RscException;
import rsc.model.Endpoint;
import rsc.model.Host;
import rsc.model.Node;
import rsc.result.CommandResult;
import rsc.session.Session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Takes a machine out of service ({@code drain}) without a group noticing more than a planned failover: refuses
 * when moving that machine's nodes would leave a group without a sentinel majority or without an in-sync replica to
 * promote; fails over first each group whose master is there (and waits until the sentinels agree); then asks the
 * backend to drain it, and returns once every moved node runs elsewhere and every replica is linked again.
 * {@code activate} lets tasks back. {@link #plan} says the same steps without taking any.
 */
public final class DrainMachine {

    static final Duration MOVE_TIMEOUT = Duration.ofSeconds(180);

    /** What draining a machine does to one group: its nodes there, and whether its master is one of them. */
    record Affected(String group, List<Node> there, boolean masterThere, Optional<Endpoint> master) {
    }

    private DrainMachine() {
    }

    static Machines machines(Session session) {
        return session.backend().capability(Machines.class).orElseThrow(() ->
                new RscException("drain and activate act on swarm nodes: start rsc with --backend swarm"));
    }

    /** The groups with nodes on {@code host}, each checked: throws, saying why, when draining would break one. */
    static List<Affected> check(Session session, Host host) throws InterruptedException {
        List<Affected> out = new ArrayList<>();
        for (String g : session.placingBackend().groups()) {
            Group group = Group.require(session, g);
            List<Node> there = group.nodes().stream().filter(n -> n.host().id().equals(host.id())).toList();
            if (there.isEmpty()) {
                continue;
            }
            int sentinels = group.sentinels().size();
            long elsewhere = group.runningSentinels().stream().filter(n -> !n.host().id().equals(host.id())).count();
            if (sentinels > 0 && elsewhere < Quorum.majority(sentinels)) {
                throw new RscException("draining " + host.label() + " would leave " + g + " with " + elsewhere + " of "
                        + sentinels + " sentinels running elsewhere, no majority to fail over: 'scale sentinels "
                        + (sentinels + 2) + " --group " + g + "' first (rsc places them on other swarm nodes)");
            }
            Optional<Endpoint> master = MasterLocator.locate(session, g, group.nodes()).map(MasterLocator.Located::address);
            Optional<Node> masterNode = master.flatMap(m -> MasterLocator.nodeAt(session, group.nodes(), m));
            boolean masterThere = masterNode.map(n -> n.host().id().equals(host.id())).orElse(false);
            if (masterThere && group.runningSentinels().isEmpty()) {
                throw new RscException("draining " + host.label() + " would take " + g + "'s master "
                        + masterNode.get().name() + ", and " + g + " has no running sentinels to fail over: 'scale "
                        + "sentinels 3 --group " + g + "' first");
            }
            if (masterThere) {
                List<Node> inSync = group.runningRedis().stream().filter(n -> !n.host().id().equals(host.id()))
                        .filter(n -> linkedTo(session, n, master.get())).toList();
                if (inSync.isEmpty()) {
                    throw new RscException("draining " + host.label() + " would take " + g + "'s master "
                            + masterNode.get().name() + " with no in-sync replica elsewhere to promote: 'scale slaves "
                            + group.redis().size() + " --group " + g + "' first, and let it sync");
                }
            } else if (group.redis().stream().allMatch(n -> n.host().id().equals(host.id()))) {
                throw new RscException("every data node of " + g + " is on " + host.label() + ": draining it restarts "
                        + "them all elsewhere, empty");
            }
            out.add(new Affected(g, there, masterThere, master));
        }
        return out;
    }

    private static boolean linkedTo(Session session, Node n, Endpoint master) {
        try {
            return ReplicaLinks.linked(session, n, master);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** {@code drain --dry-run}: the checks run (they only read), the changes are listed. */
    public static CommandResult plan(Session session, String machine) throws InterruptedException {
        Machines m = machines(session);
        Host host = m.machine(machine);
        List<Affected> affected = check(session, host);
        Plan p = new Plan("drain " + host.label());
        for (Affected a : affected) {
            if (a.masterThere()) {
                p.note(a.group() + ": the master is on " + host.shortId() + ": 'failover " + a.group()
                        + "' first, then wait until every sentinel names the new master (again if Sentinel promoted a "
                        + "replica on the same swarm node)");
            }
        }
        p.backend("swarm", m.planAvailability(host, "drain"));
        for (Affected a : affected) {
            p.await(a.group() + ": " + a.there().stream().map(Node::name).collect(Collectors.joining(", "))
                    + " running on other swarm nodes, every replica linked (timeout " + MOVE_TIMEOUT.toSeconds() + " s)");
        }
        if (affected.isEmpty()) {
            p.note("no node of rsc's groups runs on " + host.shortId());
        }
        return p.result();
    }

    public static CommandResult run(Session session, String machine, Progress progress) throws InterruptedException {
        Machines m = machines(session);
        Host host = m.machine(machine);
        long t0 = System.nanoTime();
        List<Affected> affected = check(session, host);
        String state = "nothing changed yet";
        try {
            for (Affected a : affected) {
                if (a.masterThere()) {
                    state = "failing over " + a.group() + "; " + host.shortId() + " not drained yet";
                    moveMasterOff(session, a.group(), host, progress);
                }
            }
            state = "masters moved off " + host.shortId() + "; it is not drained yet";
            m.setAvailability(host, "drain");
            state = host.shortId() + " is drained; Swarm is moving its tasks ('activate " + host.shortId()
                    + "' lets tasks back)";
            Map<String, List<String>> moved = new LinkedHashMap<>();
            for (Affected a : affected) {
                moved.put(a.group(), awaitMoved(session, a, host, progress));
            }
            CommandResult.Builder b = CommandResult.builder();
            b.info("drained swarm node " + host.label() + " in " + Waiter.since(t0) + (affected.isEmpty()
                    ? "; no node of rsc's groups ran there" : ""));
            moved.forEach((g, lines) -> b.info(g + ": " + String.join(", ", lines)));
            return b.build();
        } catch (CancelledException e) {
            throw new RscException("cancelled: " + state);
        }
    }

    /** Fails over until the master is on another machine (Sentinel chooses the replica; at most three tries). */
    private static void moveMasterOff(Session session, String g, Host host, Progress progress) throws InterruptedException {
        for (int attempt = 1; attempt <= 3; attempt++) {
            progress.update(g + ": the master is on " + host.shortId() + ": failing over first");
            // the planned failover's path: writes paused until the new master has them, nothing acknowledged lost
            Failover.run(session, g, new MasterSwitch.Request(Optional.empty(), true, Duration.ofSeconds(30), false), progress);
            Group group = Group.require(session, g);
            Endpoint now = SentinelAgreement.await(session, g, group.runningSentinels(), Duration.ofSeconds(30), progress);
            Optional<Node> n = MasterLocator.nodeAt(session, group.nodes(), now);
            if (n.isPresent() && !n.get().host().id().equals(host.id())) {
                return;
            }
        }
        throw new RscException(g + ": Sentinel promoted a node on " + host.label() + " three times: the swarm node "
                + "was not drained");
    }

    /** Waits until the group's nodes that were on the machine run elsewhere and every replica is linked. */
    private static List<String> awaitMoved(Session session, Affected a, Host host, Progress progress)
            throws InterruptedException {
        List<String> names = a.there().stream().map(Node::name).toList();
        return Waiter.until(MOVE_TIMEOUT, Duration.ofMillis(500), progress, () -> {
            Group group = Group.require(session, a.group());
            List<Node> moved = group.nodes().stream().filter(n -> names.contains(n.name())).toList();
            if (moved.size() != names.size() || moved.stream().anyMatch(n -> !n.state().running()
                    || n.host().id().equals(host.id()))) {
                return Optional.empty();
            }
            Optional<Endpoint> master;
            try {
                master = MasterLocator.locate(session, a.group(), group.nodes()).map(MasterLocator.Located::address);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();   // Waiter sees it and stops
                return Optional.empty();
            }
            if (master.isEmpty()) {
                return Optional.empty();
            }
            List<Node> replicas = group.runningRedis().stream()
                    .filter(n -> !MasterLocator.nodeAt(session, group.nodes(), master.get()).map(n::equals).orElse(false)).toList();
            if (!replicas.stream().allMatch(r -> linkedTo(session, r, master.get()))) {
                return Optional.empty();
            }
            return Optional.of(moved.stream().map(n -> n.name() + " -> " + n.host().label()).toList());
        }, () -> a.group() + ": waiting for " + String.join(", ", names) + " to run on other swarm nodes and link",
                last -> a.group() + ": " + String.join(", ", names) + " did not run elsewhere and link within "
                        + MOVE_TIMEOUT.toSeconds() + " s (" + host.shortId() + " is drained; see 'ps' and 'status "
                        + a.group() + "')");
    }

    /** {@code activate}: lets Swarm place tasks on the machine again (it moves nothing back by itself). */
    public static CommandResult activate(Session session, String machine) {
        Machines m = machines(session);
        Host host = m.machine(machine);
        m.setAvailability(host, "active");
        return CommandResult.info("swarm node " + host.shortId() + " (" + host.address() + ") is active: new and "
                + "rescheduled tasks may run there again; Swarm moves nothing back by itself");
    }

    public static CommandResult planActivate(Session session, String machine) {
        Machines m = machines(session);
        Host host = m.machine(machine);
        return new Plan("activate " + host.label()).backend("swarm", m.planAvailability(host, "active")).result();
    }
}

package rsc.ops;

import rsc.model.Endpoint;
import rsc.model.Node;
import rsc.model.NodeState;
import rsc.testing.AckedWriter;
import rsc.testing.RecordingInteraction;
import rsc.testing.RedisCli;
import rsc.testing.Sleep;
import rsc.testing.SwarmNodes;
import rsc.testing.SwarmTestBed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * One group of the multi-node test bed losing the swarm node its master runs on, under a client whose every write is
 * acknowledged by {@code WAIT 1}: the fault is the caller's (a link taken down, an engine stopped), the measuring is
 * here — time to a new master, time until the group is whole again, acknowledged writes lost, and for a node cut off
 * while its containers keep running, when the old master stopped taking writes (a writer inside the cut-off node).
 */
final class SwarmNodeLoss {

    /** How a swarm node is lost and brought back. */
    interface Fault {
        void lose(int worker);

        void restore(int worker);

        /** True when the lost node's containers keep running, isolated (a cut link), so the old master's fence is measured. */
        boolean containersKeepRunning();
    }

    /** The node's link taken down ({@code ip link set vhK down}): lost to the swarm, its containers running, isolated. */
    static final Fault CUT_LINK = new Fault() {
        public void lose(int worker) {
            SwarmNodes.link(worker, false);
        }

        public void restore(int worker) {
            SwarmNodes.link(worker, true);
        }

        public boolean containersKeepRunning() {
            return true;
        }
    };

    /** The node's Docker Engine stopped (SIGTERM: it stops its containers, then exits), started again afterwards. */
    static final Fault STOPPED_ENGINE = new Fault() {
        public void lose(int worker) {
            SwarmNodes.stopEngine(worker);
        }

        public void restore(int worker) {
            SwarmNodes.startEngine(worker);
        }

        public boolean containersKeepRunning() {
            return false;
        }
    };

    private final SwarmTestBed bed;
    private final String g;
    private final Optional<String> password;
    private final Duration healing;

    SwarmNodeLoss(SwarmTestBed bed, String group, Duration healing) {
        this.bed = bed;
        this.g = group;
        this.password = bed.engine().session().passwords().of(group).map(p -> p.reveal());
        this.healing = healing;
    }

    List<Node> nodes() {
        return bed.backend().nodes(g);
    }

    Node masterNode() {
        return nodes().stream().filter(Node::isRedis).filter(n -> n.state() == NodeState.RUNNING)
                .filter(n -> RedisCli.run(n.reach(), password, "ROLE").startsWith("master")).findFirst()
                .orElseThrow(() -> new AssertionError("no master answers: " + nodes()));
    }

    /** The master, moved by failovers to a worker when it is on the manager (a worker is what tests can cut off). */
    Node masterOnAWorker() {
        Node master = masterNode();
        for (int i = 0; i < 4 && SwarmNodes.worker(master.host().address()).isEmpty(); i++) {
            bed.ok("failover " + g);
            bed.ok("wait agreement --timeout 30s");
            master = masterNode();
        }
        if (SwarmNodes.worker(master.host().address()).isEmpty()) {
            throw new AssertionError("the master stayed on the manager: " + nodes());
        }
        return master;
    }

    /** Loses the master's swarm node under writes, measures, restores it, and checks one master afterwards. */
    void loseTheMastersNode(String label, Fault fault) throws Exception {
        Node old = masterOnAWorker();
        int k = SwarmNodes.worker(old.host().address()).orElseThrow();
        // the fence below holds only when no replica is lost with the master (a replica beside it would keep counting as
        // in reach): the group is as rsc placed it, one data node per swarm node
        assertEquals(1, nodes().stream().filter(Node::isRedis).filter(n -> n.host().id().equals(old.host().id())).count(),
                "one data node on the master's swarm node: " + nodes());
        List<Endpoint> survivors = nodes().stream().filter(Node::isSentinel)
                .filter(s -> !s.host().id().equals(old.host().id())).map(Node::reach).toList();
        assertEquals(2, survivors.size(), "two sentinels outside the master's swarm node");

        try (AckedWriter writer = new AckedWriter(g, password, () -> survivors, bed.backend()::reachable, 20,
                Duration.ofSeconds(180))) {
            Sleep.sleep(3000);
            assertFalse(writer.acknowledged().isEmpty(), "writes flow before the fault");
            // a writer on the lost node itself: only it still reaches the old master (through its published port)
            CompletableFuture<SwarmNodes.Result> inside = fault.containersKeepRunning()
                    ? CompletableFuture.supplyAsync(() -> SwarmNodes.inNamespace(k, List.of("sh", "-c",
                    "i=0; while [ $i -lt 80 ]; do echo \"$(date +%s%N) $(redis-cli -h " + old.host().address() + " -p "
                            + old.reach().port() + " SET cut:$i x 2>&1)\"; sleep 0.25; i=$((i+1)); done"),
                    password.map(p -> Map.of("REDISCLI_AUTH", p)).orElse(Map.of()), 90))
                    : CompletableFuture.completedFuture(null);
            Sleep.sleep(1000);
            long cut = System.nanoTime();
            long cutEpochNs = System.currentTimeMillis() * 1_000_000L;
            fault.lose(k);
            try {
                long switched = awaitNewMaster(survivors, old, cut);
                long whole = awaitWhole(old, cut);
                String status = String.join("\n", RecordingInteraction.render(bed.ok("status " + g).result()));
                assertTrue(status.contains("swarm node " + old.host().shortId() + " (" + old.host().address() + ") is down"),
                        status);
                writer.stop();
                long missing = missingOn(masterNode().reach(), writer.acknowledged());
                SwarmNodes.Result r = inside.get();
                double refusedAfter = r == null ? Double.NaN : firstRefusal(r.output(), cutEpochNs);
                System.out.printf(Locale.ROOT, "RELIABILITY swarm multi-node (" + label + "): master's swarm node lost -> "
                                + "new master after %.1f s; group whole again (3 data nodes running and linked, none on the lost "
                                + "node) after %.1f s; %d writes acknowledged by WAIT 1, %d lost; longest time without an "
                                + "acknowledged write %.1f s; the cut-off old master refused writes %.1f s after the cut%n",
                        (switched - cut) / 1e9, (whole - cut) / 1e9, writer.acknowledged().size(), missing,
                        writer.longestGap().toMillis() / 1e3, refusedAfter);
                assertEquals(0, missing, "acknowledged writes lost");
                if (r != null) {
                    assertTrue(refusedAfter > 0 && refusedAfter <= 10 + 3, "the cut-off master refused writes "
                            + refusedAfter + " s after the cut (min-replicas-max-lag 10): " + r.output());
                }
            } finally {
                fault.restore(k);
            }
            awaitOneMaster(old);
        }
    }

    private long awaitNewMaster(List<Endpoint> sentinels, Node old, long since) {
        long deadline = since + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && Sleep.sleep(100)) {
            for (Endpoint s : sentinels) {
                String m = RedisCli.run(s, password, "SENTINEL", "get-master-addr-by-name", g);
                if (!m.isEmpty() && !m.startsWith(old.name()) && !m.contains("(timeout)")) {
                    return System.nanoTime();
                }
            }
        }
        return fail("no new master 60 s after the fault");
    }

    /** Every data node runs again, none on the lost swarm node, and the master has 2 linked replicas. */
    private long awaitWhole(Node old, long since) {
        long deadline = since + Duration.ofSeconds(150).toNanos();
        String last = "";
        while (System.nanoTime() < deadline && Sleep.sleep(500)) {
            List<Node> redis = nodes().stream().filter(Node::isRedis).toList();
            last = redis.toString();
            if (redis.size() == 3 && redis.stream().allMatch(n -> n.state() == NodeState.RUNNING
                    && !n.host().id().equals(old.host().id()))) {
                for (Node n : redis) {
                    String info = RedisCli.run(n.reach(), password, "INFO", "replication");
                    if (info.contains("role:master") && info.contains("connected_slaves:2")) {
                        return System.nanoTime();
                    }
                }
            }
        }
        return fail("the group was not whole again 150 s after the fault: " + last);
    }

    private long missingOn(Endpoint master, Set<String> keys) {
        long missing = 0;
        List<String> all = new ArrayList<>(keys);
        for (int i = 0; i < all.size(); i += 200) {
            List<String> batch = all.subList(i, Math.min(all.size(), i + 200));
            List<String> args = new ArrayList<>(List.of("EXISTS"));
            args.addAll(batch);
            long present = Long.parseLong(RedisCli.run(master, password, args.toArray(String[]::new)).trim());
            missing += batch.size() - present;
        }
        return missing;
    }

    /** Seconds from the cut to the first write the old master refused (NOREPLICAS), as the writer inside saw it. */
    private static double firstRefusal(String output, long cutEpochNs) {
        for (String line : output.lines().toList()) {
            int sp = line.indexOf(' ');
            if (sp > 0 && line.contains("NOREPLICAS")) {
                long at = Long.parseLong(line.substring(0, sp));
                return (at - cutEpochNs) / 1e9;
            }
        }
        return -1;
    }

    /** After healing, exactly one data node (the old master's container included, while it runs) says master. */
    void awaitOneMaster(Node old) {
        long deadline = System.nanoTime() + healing.toNanos();
        Set<String> masters = new HashSet<>();
        while (System.nanoTime() < deadline && Sleep.sleep(1000)) {
            masters.clear();
            List<Endpoint> all = new ArrayList<>(nodes().stream().filter(Node::isRedis).map(Node::reach).toList());
            all.add(old.reach());
            for (Endpoint e : all) {
                if (RedisCli.run(e, password, "ROLE").startsWith("master")) {
                    masters.add(e.toString());
                }
            }
            if (masters.size() == 1) {
                return;
            }
        }
        fail("after healing, masters: " + masters);
    }
}

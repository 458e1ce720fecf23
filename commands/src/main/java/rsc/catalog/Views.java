package rsc.catalog;

import rsc.model.Endpoint;
import rsc.model.Node;
import rsc.ops.GroupStatus;
import rsc.ops.MasterLocator;
import rsc.ops.SentinelStatus;
import rsc.redis.Replication;
import rsc.redis.SentinelMaster;
import rsc.result.CommandResult;
import rsc.result.Message;
import rsc.result.NodeRef;
import rsc.result.Severity;
import rsc.result.Table;
import rsc.result.Table.Cell;
import rsc.session.Session;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Turns the views operations collect into the tables and lines an operator reads. Reading commands report what is
 * wrong in red but do not fail: asserting is for {@code doctor} and {@code expect}.
 */
final class Views {

    private Views() {
    }

    static CommandResult status(Session s, GroupStatus.View view) {
        CommandResult.Builder b = CommandResult.builder();
        List<Node> all = view.sentinels().nodes();
        // six columns fit 80: the role says sentinel, and a node that is not running shows its state there, in red;
        // a backend with several machines adds the one each node runs on (Swarm: the swarm node's id and address)
        boolean hosts = view.redis().stream().anyMatch(n -> n.node().host().known())
                || view.sentinels().sentinels().stream().anyMatch(v -> v.sentinel().host().known());
        List<String> columns = new ArrayList<>(List.of("node", "address"));
        if (hosts) {
            columns.add("swarm node");
        }
        columns.addAll(List.of("role", "follows", "link", "lag", "version"));
        Table.Builder t = Table.ofGroup(view.group(), "nodes", columns.toArray(String[]::new))
                .title(view.group() + ": nodes (" + s.backend().name() + ")");
        Optional<GroupStatus.NodeView> master = view.master(s);
        List<String> astray = new java.util.ArrayList<>();
        for (GroupStatus.NodeView n : view.redis()) {
            Optional<Replication> r = n.replication();
            if (r.isEmpty()) {
                // a node that runs but does not answer says why in the last column; a stopped one's state says it all
                nodeRow(t, hosts, n.node(), view.versions(), new Cell(n.node().state().running() ? "no answer"
                        : n.node().state().name().toLowerCase(), Severity.ERROR), null, null,
                        n.node().state().running() ? n.error() : null);
                continue;
            }
            Replication rep = r.get();
            // a replica following anything but the master is wrong whatever the sentinels list (they may not know it)
            boolean wrong = !rep.isMaster() && master.isPresent() && rep.master().isPresent()
                    && !rsc.ops.ReplicaLinks.sameNode(s, rep.master().get(), master.get().node().announced());
            Object follows = rep.master().map(m -> (Object) new Cell(ref(s, all, m), wrong ? Severity.ERROR : Severity.INFO))
                    .orElse(null);
            if (wrong) {
                Endpoint m = master.get().node().announced();
                astray.add(n.node().name() + " follows " + name(s, all, rep.master().get()) + ", which is not the master "
                        + name(s, all, m) + " (fix: redis --node " + n.node().name() + " REPLICAOF " + m.host() + " "
                        + m.port() + ")");
            }
            Object link = rep.isMaster() ? rep.replicas().size() + (rep.replicas().size() == 1 ? " replica" : " replicas")
                    : new Cell(rep.linkUp() ? "up" : "down", rep.linkUp() ? Severity.OK : Severity.ERROR);
            Long lagBytes = rep.isMaster() || wrong ? null : view.lag(s, n.node());
            Object lag = lagBytes == null ? null : lagBytes + " B";
            nodeRow(t, hosts, n.node(), view.versions(),
                    new Cell(rep.role().word(), rep.isMaster() ? Severity.OK : Severity.INFO), follows, link, lag);
        }
        for (SentinelStatus.SentinelView v : view.sentinels().sentinels()) {
            Node n = v.sentinel();
            NodeRef sees = v.master().map(m -> ref(s, all, m.address())).orElse(null);
            Object role = v.error() == null ? new Cell("sentinel", Severity.INFO)
                    : new Cell(n.state().running() ? "no answer" : n.state().name().toLowerCase(), Severity.ERROR);
            nodeRow(t, hosts, n, view.versions(), role, sees, v.master().map(m -> String.join(",", m.flags())).orElse(v.error()), null);
        }
        b.add(t.build());
        astray.forEach(line -> b.add(Message.error(line)));
        lostMachines(s, view, b);
        long masters = view.masters();
        if (masters > 1) {
            b.add(Message.error(masters + " nodes say role:master (split brain): 'sentinel status' shows which one the sentinels follow"));
        } else if (masters == 0) {
            b.add(Message.error("no node says role:master"));
        }
        summarize(b, s, all, view.sentinels());
        rsc.ops.PersistenceText.status(view.redis()).ifPresent(b::info);
        long replicas = view.redis().stream().filter(n -> n.replication().map(r -> !r.isMaster()).orElse(false)).count();
        view.minReplicasToWrite().ifPresent(mrw -> {
            if (replicas > 0 && mrw == 0) {
                b.warn("data-loss window open: min-replicas-to-write is 0, so an isolated master keeps taking writes "
                        + "that a failover throws away ('scale slaves " + replicas + " --min-replicas-to-write 1')");
            } else if (mrw > 0) {
                b.info("min-replicas-to-write " + mrw + ": the master refuses writes when fewer replicas are in reach");
            }
        });
        return b.build();
    }

    /** The sentinel summary lines shared by {@code status} and {@code sentinel status}. */
    static void summarize(CommandResult.Builder b, Session s, List<Node> nodes, SentinelStatus.View v) {
        if (v.sentinels().isEmpty()) {
            b.warn(v.group() + " has no sentinels: nothing will fail over ('scale sentinels 3')");
            return;
        }
        long answering = v.sentinels().stream().filter(x -> x.master().isPresent()).count();
        if (v.agree()) {
            b.ok("all " + answering + " sentinel(s) agree: master of " + v.group() + " is " + name(s, nodes, v.masters().iterator().next()));
        } else if (v.masters().size() > 1) {
            b.add(Message.error("sentinels disagree on the master of " + v.group() + ": "
                    + String.join(" vs ", v.masters().stream().map(m -> name(s, nodes, m)).toList())));
        } else {
            b.warn(answering + " of " + v.sentinels().size() + " sentinel(s) answer"
                    + (v.masters().isEmpty() ? "" : "; they name " + name(s, nodes, v.masters().iterator().next())));
        }
        Optional<SentinelMaster> any = v.sentinels().stream().map(SentinelStatus.SentinelView::master)
                .flatMap(Optional::stream).findFirst();
        any.ifPresent(m -> {
            String q = "quorum " + m.quorum() + " of " + v.sentinels().size() + " sentinel(s)";
            if (v.quorumOk()) {
                b.ok(q + "; CKQUORUM OK: a failover can be authorised now");
            } else {
                String why = v.sentinels().stream().map(SentinelStatus.SentinelView::ckquorum).flatMap(Optional::stream)
                        .map(c -> c.text()).findFirst().orElse("no sentinel answered CKQUORUM");
                b.add(Message.error(q + "; CKQUORUM fails: " + why));
            }
        });
    }

    static CommandResult sentinelStatus(Session s, SentinelStatus.View v) {
        CommandResult.Builder b = CommandResult.builder();
        List<Node> nodes = v.nodes();
        Table.Builder t = Table.ofGroup(v.group(), "sentinels", "sentinel", "address", "master", "flags", "epoch",
                "quorum", "peers", "replicas", "ckquorum");
        String majority = v.master().map(MasterLocator.Located::address).map(Endpoint::toString).orElse(null);
        for (SentinelStatus.SentinelView sv : v.sentinels()) {
            if (sv.master().isEmpty()) {
                t.row(sv.sentinel().name(), sv.sentinel().reach(), new Cell(sv.error(), Severity.ERROR),
                        null, null, null, null, null, null);
                continue;
            }
            SentinelMaster m = sv.master().get();
            boolean agrees = majority == null || m.address().toString().equals(majority);
            t.row(sv.sentinel().name(), sv.sentinel().reach(),
                    new Cell(ref(s, nodes, m.address()), agrees ? Severity.OK : Severity.ERROR),
                    new Cell(String.join(",", m.flags()), m.down() ? Severity.ERROR : Severity.OK),
                    m.configEpoch(), m.quorum(), m.otherSentinels(), m.replicas(),
                    sv.ckquorum().map(q -> new Cell(q.ok() ? "OK" : q.text(), q.ok() ? Severity.OK : Severity.ERROR))
                            .orElse(null));
        }
        b.add(t.build());
        Table.Builder r = Table.ofGroup(v.group(), "replicas", "replica", "address", "link", "lag", "flags", "priority")
                .title(v.group() + ": replicas (as the sentinels list them)");
        for (SentinelStatus.ReplicaView rv : v.replicas()) {
            r.row(rv.node().map(Node::name).orElse("?"), rv.address(),
                    new Cell(rv.linkUp() ? "up" : "down", rv.linkUp() ? Severity.OK : Severity.ERROR),
                    rv.lagBytes() == null ? null : rv.lagBytes() + " B",
                    new Cell(String.join(",", rv.flags()), rv.flags().stream().anyMatch(f -> f.contains("down")
                            || f.equals("disconnected")) ? Severity.ERROR : Severity.OK),
                    rv.priority());
        }
        if (!v.sentinels().isEmpty()) {
            b.add(r.build());
        }
        summarize(b, s, nodes, v);
        return b.build();
    }

    /** A node for a table cell: its name and address, or the bare address when no node of ours is there. */
    static NodeRef ref(Session s, List<Node> nodes, Endpoint e) {
        return MasterLocator.nodeAt(s, nodes, e).map(n -> new NodeRef(n.name(), n.reach().host(), n.reach().port()))
                .orElse(new NodeRef(null, e.host(), e.port()));
    }

    /** One row of the nodes table: name, address, the machine when the backend knows machines, then the rest. */
    private static void nodeRow(Table.Builder t, boolean hosts, Node n, java.util.Map<String, String> versions, Object... rest) {
        List<Object> cells = new ArrayList<>(List.of(n.name(), n.reach()));
        if (hosts) {
            cells.add(n.host().known() ? new Cell(n.host().label(), n.host().down() ? Severity.ERROR : Severity.INFO) : null);
        }
        cells.addAll(Arrays.asList(rest));
        while (cells.size() < (hosts ? 7 : 6)) {
            cells.add(null);
        }
        cells.add(versions.get(n.name()));
        t.row(cells.toArray());
    }

    /** A lost machine and the group's nodes still placed there; any other machine of the backend that is down. */
    private static void lostMachines(Session s, GroupStatus.View view, CommandResult.Builder b) {
        java.util.Map<String, List<Node>> onDown = new java.util.LinkedHashMap<>();
        List<Node> listed = new ArrayList<>(view.redis().stream().map(GroupStatus.NodeView::node).toList());
        listed.addAll(view.sentinels().sentinels().stream().map(SentinelStatus.SentinelView::sentinel).toList());
        for (Node n : listed) {
            if (n.host().down()) {
                onDown.computeIfAbsent(n.host().id(), k -> new ArrayList<>()).add(n);
            }
        }
        onDown.values().forEach(l -> b.add(Message.error("swarm node " + l.get(0).host().shortId() + " ("
                + l.get(0).host().address() + ") is " + l.get(0).host().state() + "; with it: "
                + String.join(", ", l.stream().map(Node::name).toList()) + " (Swarm reschedules them elsewhere)")));
        var machines = s.backend().capability(rsc.backend.Machines.class);
        machines.flatMap(rsc.backend.Machines::controlLost)
                .ifPresent(why -> b.add(Message.error(why + " (listed: only the nodes on this machine)")));
        if (machines.isPresent() && listed.stream().anyMatch(n -> n.host().known())) {
            for (rsc.model.Host h : machines.get().machines()) {
                if (h.down() && !onDown.containsKey(h.id())) {
                    b.warn("swarm node " + h.shortId() + " (" + h.address() + ") is " + h.state() + "; no node of "
                            + view.group() + " runs there now");
                }
            }
        }
    }

    /** A node's name with its address, or the bare address when no node of ours is there. */
    static String name(Session s, List<Node> nodes, Endpoint e) {
        return MasterLocator.nodeAt(s, nodes, e).map(n -> n.name() + " " + n.reach()).orElse(e.toString());
    }
}

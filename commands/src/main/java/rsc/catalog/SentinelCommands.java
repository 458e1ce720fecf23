package rsc.catalog;

import rsc.backend.GroupsAndNodes;
import rsc.command.CommandKind;
import rsc.command.CommandSpec;
import rsc.command.Invocation;
import rsc.command.Option;
import rsc.command.Param;
import rsc.error.RscException;
import rsc.command.ValueType;
import rsc.model.Node;
import rsc.ops.Failover;
import rsc.ops.Group;
import rsc.ops.MasterSwitch;
import rsc.ops.SentinelReset;
import rsc.ops.SentinelStatus;
import rsc.redis.SentinelClient;
import rsc.result.Block;
import rsc.result.CommandResult;
import rsc.result.Severity;
import rsc.result.Table;
import rsc.session.Session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/** What the sentinels say and what they are asked to do: sentinel status|masters|replicas|sentinels|ckquorum|reset|set, failover. */
final class SentinelCommands {

    private SentinelCommands() {
    }

    private static Option sentinelOption() {
        return Option.value("sentinel", ValueType.SENTINEL_NODE, "NODE", "ask this sentinel (default: the first that answers)");
    }

    private static CommandSpec<Session> raw(String name, String summary, BiFunction<SentinelClient, String, Table> view) {
        return CommandSpec.<Session>command(name).summary(summary)
                .param(Param.optional("group", ValueType.GROUP, "the group (default: the current group)"))
                .option(sentinelOption())
                .example("sentinel " + name)
                .handler((inv, s) -> rawView(inv, s, view)).build();
    }

    static List<CommandSpec<Session>> specs() {
        CommandSpec<Session> status = CommandSpec.<Session>command("status")
                .summary("each sentinel's master, flags, epoch and CKQUORUM; replicas with link and lag; disagreement flagged")
                .param(Param.optional("group", ValueType.GROUP, "one group (default: every group)"))
                .example("sentinel status").example("sentinel status orders --json")
                .handler(SentinelCommands::status).build();
        CommandSpec<Session> reset = CommandSpec.<Session>command("reset")
                .summary("SENTINEL RESET on every sentinel, one at a time, each relearning before the next")
                .param(Param.optional("group", ValueType.GROUP, "the group (default: the current group)"))
                .kind(CommandKind.CHANGES)
                .example("sentinel reset")
                .handler((inv, s) -> SentinelReset.run(s, GroupCommands.group(inv, s), s.ui().progress()))
                .planner((inv, s) -> SentinelReset.plan(s, GroupCommands.group(inv, s))).build();
        CommandSpec<Session> ckquorum = CommandSpec.<Session>command("ckquorum")
                .summary("SENTINEL CKQUORUM on every sentinel: can quorum and majority be reached now?")
                .param(Param.optional("group", ValueType.GROUP, "the group (default: the current group)"))
                .example("sentinel ckquorum")
                .handler(SentinelCommands::ckquorum).build();
        return List.of(
                CommandSpec.<Session>command("sentinel").summary("what the sentinels see: status and raw views")
                        .sub(status)
                        .sub(raw("masters", "SENTINEL MASTERS of one sentinel, as a table", SentinelCommands::masters))
                        .sub(raw("replicas", "SENTINEL REPLICAS of one sentinel, as a table", SentinelCommands::replicas))
                        .sub(raw("sentinels", "SENTINEL SENTINELS of one sentinel, as a table", SentinelCommands::sentinels))
                        .sub(ckquorum).sub(reset).sub(ConfigCommands.sentinelSet()).build(),
                CommandSpec.<Session>command("failover")
                        .summary("move the master to a replica, writes paused so none acknowledged is lost; wait for +switch-master")
                        .param(Param.optional("group", ValueType.GROUP, "the group (default: the current group)"))
                        .option(Option.value("to", ValueType.REDIS_NODE, "NODE", "the replica to promote (default: Sentinel chooses)"))
                        .option(Option.flag("no-pause", "do not pause writes: what the old master acknowledges during the "
                                + "switch (about a second of writes) is lost"))
                        .option(Option.value("timeout", ValueType.DURATION, "D", "how long to wait for +switch-master").withDefault("30s"))
                        .option(Option.flag("force", "ask even when CKQUORUM says quorum or majority cannot be reached"))
                        .kind(CommandKind.CHANGES)
                        .example("failover").example("failover orders --to orders-redis-2").example("failover --no-pause")
                        .handler(SentinelCommands::failover)
                        .planner((inv, s) -> Failover.plan(s, GroupCommands.group(inv, s), switchRequest(inv))).build());
    }

    private static CommandResult status(Invocation inv, Session s) throws InterruptedException {
        // every group's: its names and nodes from one reading of the backend (on Swarm, one listing of the services)
        Optional<GroupsAndNodes> every = inv.string("group").isPresent() ? Optional.empty()
                : Optional.of(s.backend().groupsAndNodes());
        List<String> groups = inv.string("group").map(List::of).orElseGet(() -> {
            List<String> all = new ArrayList<>(every.orElseThrow().groups());
            s.console().currentGroup(all).filter(all::remove).ifPresent(current -> all.add(0, current));
            return all;
        });
        if (groups.isEmpty()) {
            throw new RscException("there are no groups yet: 'create-master' starts one");
        }
        // every sentinel of every group is asked before any answer is awaited (one round trip each, no thread of ours
        // per sentinel), then each group's answers are awaited in parallel: 20 groups cost about one, not twenty
        Map<String, List<Node>> nodes = every.map(e -> e.nodes().stream()
                .collect(java.util.stream.Collectors.groupingBy(Node::group))).orElse(Map.of());
        List<SentinelStatus.Pending> asked = new ArrayList<>();
        for (String g : groups) {
            List<Node> mine = nodes.getOrDefault(g, List.of());
            mine.forEach(n -> s.passwords().remember(n.announced(), g));
            asked.add(SentinelStatus.ask(s, mine.isEmpty() ? Group.require(s, g) : new Group(g, mine)));
        }
        List<java.util.concurrent.Future<SentinelStatus.View>> views = new ArrayList<>();
        for (SentinelStatus.Pending p : asked.subList(1, asked.size())) {
            views.add(s.pool().submit(p::await));
        }
        List<Block> blocks = new ArrayList<>();
        try {
            blocks.addAll(Views.sentinelStatus(s, asked.get(0).await()).blocks());   // the first in this thread meanwhile
            for (var f : views) {
                blocks.addAll(Views.sentinelStatus(s, f.get()).blocks());
            }
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof InterruptedException ie) {
                throw ie;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            views.forEach(f -> f.cancel(true));
        }
        return new CommandResult(blocks, false);
    }

    private static CommandResult ckquorum(Invocation inv, Session s) {
        String g = GroupCommands.group(inv, s);
        Table.Builder t = Table.ofGroup(g, "ckquorum", "sentinel", "ok", "answer");
        boolean allOk = true;
        for (Node n : requireSentinels(s, g)) {
            rsc.redis.CkQuorum q = s.reads().sentinel(n.announced()).ckquorum(g);
            allOk &= q.ok();
            t.row(n.name(), new Table.Cell(q.ok() ? "yes" : "no", q.ok() ? Severity.OK : Severity.ERROR), q.text());
        }
        CommandResult.Builder b = CommandResult.builder().add(t.build());
        if (!allOk) {
            b.error("quorum or majority cannot be reached on every sentinel of " + g);
        }
        return b.build();
    }

    private static CommandResult failover(Invocation inv, Session s) throws InterruptedException {
        return Failover.run(s, GroupCommands.group(inv, s), switchRequest(inv), s.ui().progress());
    }

    private static MasterSwitch.Request switchRequest(Invocation inv) {
        return new MasterSwitch.Request(inv.string("to"), !inv.flag("no-pause"),
                inv.valueOrDefault("timeout", Duration.class), inv.flag("force"));
    }

    private static List<Node> requireSentinels(Session s, String g) {
        return Group.require(s, g).requireRunningSentinels();
    }

    private static CommandResult rawView(Invocation inv, Session s, BiFunction<SentinelClient, String, Table> view) {
        String g = GroupCommands.group(inv, s);
        List<Node> sentinels = requireSentinels(s, g);
        if (inv.has("sentinel")) {
            String wanted = inv.string("sentinel").orElseThrow();
            sentinels = sentinels.stream().filter(n -> n.name().equals(wanted)).toList();
            if (sentinels.isEmpty()) {
                throw new RscException("no running sentinel named " + wanted + " in " + g);
            }
        }
        RuntimeException last = null;
        for (Node n : sentinels) {
            try {
                Table t = view.apply(s.redis().sentinel(n.announced()), g);
                return CommandResult.of(new Table(t.key(), t.group(), t.title() + " (from " + n.name() + ")", t.columns(), t.rows()));
            } catch (RuntimeException e) {
                last = e;
            }
        }
        throw last;
    }

    private static Table fromMaps(String group, String key, List<Map<String, String>> rows, String... columns) {
        Table.Builder t = group == null ? Table.of(key, columns) : Table.ofGroup(group, key, columns);
        for (Map<String, String> m : rows) {
            Object[] cells = new Object[columns.length];
            for (int i = 0; i < columns.length; i++) {
                cells[i] = m.get(columns[i]);
            }
            t.row(cells);
        }
        return t.build();
    }

    private static Table masters(SentinelClient c, String g) {
        return fromMaps(null, "masters", c.mastersRaw(), "name", "ip", "port", "flags", "num-slaves", "num-other-sentinels",
                "quorum", "config-epoch", "down-after-milliseconds", "failover-timeout");
    }

    private static Table replicas(SentinelClient c, String g) {
        return fromMaps(g, "replicas", c.replicas(g).stream().map(p -> p.raw()).toList(), "name", "ip", "port", "flags",
                "master-link-status", "slave-repl-offset", "slave-priority", "master-host", "master-port");
    }

    private static Table sentinels(SentinelClient c, String g) {
        return fromMaps(g, "other sentinels", c.sentinels(g).stream().map(p -> p.raw()).toList(), "name", "ip", "port",
                "flags", "last-hello-message", "voted-leader", "voted-leader-epoch");
    }
}

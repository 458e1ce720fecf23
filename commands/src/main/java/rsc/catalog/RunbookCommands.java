package rsc.catalog;

import rsc.command.CommandSpec;
import rsc.command.Invocation;
import rsc.command.Option;
import rsc.command.Param;
import rsc.error.RscException;
import rsc.error.UsageException;
import rsc.command.ValueType;
import rsc.events.Event;
import rsc.model.Endpoint;
import rsc.model.Finding;
import rsc.model.Node;
import rsc.ops.Doctor;
import rsc.ops.Group;
import rsc.ops.MasterLocator;
import rsc.ops.ReplicaLinks;
import rsc.ops.SentinelAgreement;
import rsc.ops.SentinelStatus;
import rsc.ops.Waiter;
import rsc.redis.Replication;
import rsc.result.CommandResult;
import rsc.result.Severity;
import rsc.session.Session;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** What lets a runbook wait and assert: {@code wait ...} blocks until true, {@code expect ...} fails when untrue. */
final class RunbookCommands {

    private RunbookCommands() {
    }

    private static Option timeout() {
        return Option.value("timeout", ValueType.DURATION, "D", "give up after D").withDefault("60s");
    }

    static List<CommandSpec<Session>> specs() {
        CommandSpec.Builder<Session> wait = CommandSpec.<Session>command("wait").summary("block until something holds, with progress; fail on timeout");
        wait.sub(CommandSpec.<Session>command("switch-master").summary("until the sentinels announce +switch-master (since the previous command began)")
                .option(SessionCommands.groupOption()).option(timeout())
                .example("kill master").example("wait switch-master --timeout 30s")
                .handler(RunbookCommands::waitSwitch).build());
        wait.sub(CommandSpec.<Session>command("master-up").summary("until a master answers and the sentinels agree on it")
                .option(SessionCommands.groupOption()).option(timeout())
                .example("wait master-up").handler(RunbookCommands::waitMasterUp).build());
        wait.sub(CommandSpec.<Session>command("agreement").summary("until every sentinel names the same master, with no failover in progress")
                .option(SessionCommands.groupOption()).option(timeout())
                .example("failover").example("wait agreement --timeout 30s")
                .handler(RunbookCommands::waitAgreement).build());
        wait.sub(CommandSpec.<Session>command("replicas").summary("until N replicas are linked to the master")
                .param(Param.required("n", ValueType.COUNT, "how many replicas"))
                .option(SessionCommands.groupOption()).option(timeout())
                .example("wait replicas 2").handler(RunbookCommands::waitReplicas).build());
        wait.sub(CommandSpec.<Session>command("sentinels").summary("until N sentinels monitor the group and see each other")
                .param(Param.required("n", ValueType.COUNT, "how many sentinels"))
                .option(SessionCommands.groupOption()).option(timeout())
                .example("wait sentinels 3").handler(RunbookCommands::waitSentinels).build());

        CommandSpec.Builder<Session> expect = CommandSpec.<Session>command("expect").summary("assert a fact; a script fails at this line when it is untrue");
        expect.sub(CommandSpec.<Session>command("master").summary("the sentinels (or nodes) name this master: a node name or HOST:PORT")
                .param(Param.required("address", ValueType.NODE, "a node name or HOST:PORT"))
                .option(SessionCommands.groupOption())
                .example("expect master mymaster-redis-2").handler(RunbookCommands::expectMaster).build());
        expect.sub(CommandSpec.<Session>command("role").summary("a node reports this role: master or replica")
                .param(Param.required("node", ValueType.REDIS_NODE, "a node's name"))
                .param(Param.required("role", ValueType.WORD, "master or replica").choices("master", "replica"))
                .example("expect role mymaster-redis-1 replica").handler(RunbookCommands::expectRole).build());
        expect.sub(CommandSpec.<Session>command("replicas").summary("exactly N replicas are linked to the master")
                .param(Param.required("n", ValueType.COUNT, "how many replicas"))
                .option(SessionCommands.groupOption())
                .example("expect replicas 2").handler(RunbookCommands::expectReplicas).build());
        expect.sub(CommandSpec.<Session>command("quorum").summary("CKQUORUM answers OK")
                .param(Param.required("state", ValueType.WORD, "'ok'").choices("ok"))
                .option(SessionCommands.groupOption())
                .example("expect quorum ok").handler(RunbookCommands::expectQuorum).build());
        expect.sub(CommandSpec.<Session>command("doctor").summary("doctor finds no error (warnings are listed, not fatal)")
                .param(Param.required("state", ValueType.WORD, "'clean'").choices("clean"))
                .option(SessionCommands.groupOption())
                .example("expect doctor clean").handler(RunbookCommands::expectDoctor).build());
        return List.of(wait.build(), expect.build());
    }

    private static Duration timeoutOf(Invocation inv) {
        return inv.valueOrDefault("timeout", Duration.class);
    }

    private static CommandResult waitSwitch(Invocation inv, Session s) throws InterruptedException {
        String g = GroupCommands.group(inv, s);
        Group.require(s, g);
        s.followNow();
        Duration timeout = timeoutOf(inv);
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        Optional<Event> e = Optional.empty();
        while (e.isEmpty() && System.nanoTime() < deadline) {
            long slice = Math.min(deadline, System.nanoTime() + 250_000_000L);
            e = s.events().timeline().await(s.console().previousCommandStart(),
                    x -> x.type().equals("+switch-master") && x.group().equals(g), slice);
            if (e.isEmpty()) {
                s.ui().progress().update("waiting for +switch-master of " + g + " (" + Waiter.since(start) + ")");
            }
        }
        Event sw = e.orElseThrow(() -> new RscException("no +switch-master for '" + g + "' within "
                + timeout.toSeconds() + " s"));
        String[] w = sw.text().split(" ");
        List<Node> nodes = s.backend().nodes(g);
        return CommandResult.ok("+switch-master: " + g + " " + Views.name(s, nodes, new Endpoint(w[1], Integer.parseInt(w[2])))
                + " -> " + Views.name(s, nodes, new Endpoint(w[3], Integer.parseInt(w[4]))) + " (seen by " + sw.seenBy()
                + "/" + sw.of() + " sentinels)");
    }

    private static CommandResult waitMasterUp(Invocation inv, Session s) throws InterruptedException {
        String g = GroupCommands.group(inv, s);
        MasterLocator.Located m = Waiter.until(timeoutOf(inv), Duration.ofMillis(200), s.ui().progress(), () -> {
            try {
                Group group = Group.require(s, g);
                SentinelStatus.View v = SentinelStatus.collect(s, group);
                if (!group.sentinels().isEmpty() && !v.agree()) {
                    return Optional.empty();
                }
                Optional<MasterLocator.Located> loc = v.master();
                return loc.filter(l -> s.reads().node(l.address()).replication().isMaster());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }, () -> "waiting for a master of " + g + " that answers, named by all sentinels",
                last -> "no master of '" + g + "' came up within " + timeoutOf(inv).toSeconds() + " s");
        return CommandResult.ok("master of " + g + " is up: " + Views.name(s, s.backend().nodes(g), m.address()));
    }

    private static CommandResult waitAgreement(Invocation inv, Session s) throws InterruptedException {
        String g = GroupCommands.group(inv, s);
        List<Node> sentinels = Group.require(s, g).runningSentinels();
        if (sentinels.isEmpty()) {
            throw new RscException("'" + g + "' has no running sentinels to agree");
        }
        Endpoint m = SentinelAgreement.await(s, g, sentinels, timeoutOf(inv), s.ui().progress());
        return CommandResult.ok("all " + sentinels.size() + " sentinel(s) of " + g + " name "
                + Views.name(s, s.backend().nodes(g), m) + ", with no failover in progress");
    }

    private static CommandResult waitReplicas(Invocation inv, Session s) throws InterruptedException {
        String g = GroupCommands.group(inv, s);
        int n = inv.integer("n").orElseThrow();
        Waiter.until(timeoutOf(inv), Duration.ofMillis(200), s.ui().progress(),
                () -> linkedReplicas(s, g).filter(c -> c >= n),
                () -> "waiting for " + n + " linked replica(s) of " + g + ": " + linkedReplicas(s, g).orElse(0) + " now",
                last -> "fewer than " + n + " replicas of '" + g + "' were linked after " + timeoutOf(inv).toSeconds() + " s");
        return CommandResult.ok(g + ": " + n + " replica(s) linked");
    }

    private static Optional<Integer> linkedReplicas(Session s, String g) {
        try {
            Group group = Group.require(s, g);
            Optional<MasterLocator.Located> m = MasterLocator.locate(s, g, group.nodes());
            if (m.isEmpty()) {
                return Optional.empty();
            }
            int count = 0;
            for (Node n : group.runningRedis()) {
                if (n.announced().equals(m.get().address())) {
                    continue;
                }
                try {
                    Replication r = s.reads().node(n.announced()).replication();
                    if (!r.isMaster() && r.linkUp() && r.master().isPresent()
                            && s.backend().reachable(r.master().get()).equals(s.backend().reachable(m.get().address()))) {
                        count++;
                    }
                } catch (RuntimeException e) {
                    // not linked
                }
            }
            return Optional.of(count);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static CommandResult waitSentinels(Invocation inv, Session s) throws InterruptedException {
        String g = GroupCommands.group(inv, s);
        int n = inv.integer("n").orElseThrow();
        Waiter.until(timeoutOf(inv), Duration.ofMillis(200), s.ui().progress(), () -> {
            try {
                SentinelStatus.View v = SentinelStatus.collect(s, Group.require(s, g));
                long ready = v.sentinels().stream().filter(x -> x.master().map(m -> m.otherSentinels() >= n - 1).orElse(false)).count();
                return ready >= n ? Optional.of(true) : Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }, () -> "waiting for " + n + " sentinel(s) of " + g + " to see each other",
                last -> "fewer than " + n + " sentinels of '" + g + "' were ready after " + timeoutOf(inv).toSeconds() + " s");
        return CommandResult.ok(g + ": " + n + " sentinel(s) monitor the group and see each other");
    }

    private static CommandResult fail(String text) {
        return CommandResult.builder().error(text).build();
    }

    private static CommandResult expectMaster(Invocation inv, Session s) throws InterruptedException {
        String g = GroupCommands.group(inv, s);
        String want = inv.string("address").orElseThrow();
        Group group = Group.require(s, g);
        Optional<MasterLocator.Located> m = MasterLocator.locate(s, g, group.nodes());
        if (m.isEmpty()) {
            return fail("expected master " + want + ", but no master of " + g + " is known");
        }
        Endpoint actual = m.get().address();
        boolean match = m.get().node().map(n -> n.name().equals(want)).orElse(false)
                || actual.toString().equals(want)
                || (want.contains(":") && s.backend().reachable(actual).toString().equals(want));
        String shown = Views.name(s, group.nodes(), actual);
        return match ? CommandResult.ok("master of " + g + " is " + shown + " (" + m.get().source() + ")")
                : fail("expected master " + want + ", but " + m.get().source() + " name " + shown);
    }

    private static CommandResult expectRole(Invocation inv, Session s) {
        String name = inv.string("node").orElseThrow();
        String want = inv.string("role").orElseThrow().toLowerCase(java.util.Locale.ROOT);
        if (!want.equals("master") && !want.equals("replica") && !want.equals("slave")) {
            throw new UsageException("role must be master or replica, not '" + rsc.model.Names.printable(want) + "'");
        }
        Node node = s.backend().nodes(null).stream().filter(n -> n.name().equals(name)).findFirst()
                .orElseThrow(() -> new RscException("no node named '" + name + "'"));
        Replication r = s.reads().node(node.announced()).replication();
        boolean ok = want.equals("master") == r.isMaster();
        return ok ? CommandResult.ok(name + " is " + r.role().word())
                : fail("expected " + name + " to be " + want + ", but it reports " + r.role().word());
    }

    private static CommandResult expectReplicas(Invocation inv, Session s) {
        String g = GroupCommands.group(inv, s);
        int want = inv.integer("n").orElseThrow();
        int linked = linkedReplicas(s, g).orElse(0);
        return linked == want ? CommandResult.ok(g + ": " + linked + " replica(s) linked")
                : fail("expected " + want + " linked replica(s) of " + g + ", found " + linked);
    }

    private static CommandResult expectQuorum(Invocation inv, Session s) throws InterruptedException {
        String g = GroupCommands.group(inv, s);
        if (!inv.string("state").orElseThrow().equalsIgnoreCase("ok")) {
            throw new UsageException("the one quorum state to expect is 'ok'");
        }
        SentinelStatus.View v = SentinelStatus.collect(s, Group.require(s, g));
        if (v.sentinels().isEmpty()) {
            return fail("expected quorum ok, but " + g + " has no sentinels");
        }
        return v.quorumOk() ? CommandResult.ok(g + ": CKQUORUM OK")
                : fail("expected quorum ok, but CKQUORUM fails on " + g + ": " + v.sentinels().stream()
                .map(SentinelStatus.SentinelView::ckquorum).flatMap(Optional::stream).map(c -> c.text()).findFirst()
                .orElse("no sentinel answered"));
    }

    private static CommandResult expectDoctor(Invocation inv, Session s) throws InterruptedException {
        String g = GroupCommands.group(inv, s);
        if (!inv.string("state").orElseThrow().equalsIgnoreCase("clean")) {
            throw new UsageException("the one doctor state to expect is 'clean'");
        }
        List<Finding> errors = Doctor.examine(s, g).stream().filter(f -> f.severity() == Severity.ERROR).toList();
        return errors.isEmpty() ? CommandResult.ok(g + ": doctor finds no error")
                : fail("expected doctor clean, but: " + errors.get(0).what()
                + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : ""));
    }
}

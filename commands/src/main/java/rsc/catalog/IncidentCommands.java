package rsc.catalog;

import rsc.backend.Signal;
import rsc.command.CommandKind;
import rsc.command.CommandSpec;
import rsc.command.Invocation;
import rsc.command.Option;
import rsc.command.Param;
import rsc.error.RscException;
import rsc.error.UsageException;
import rsc.command.ValueType;
import rsc.events.Event;
import rsc.events.EventRows;
import rsc.model.Finding;
import rsc.ops.Doctor;
import rsc.ops.FailoverDrill;
import rsc.ops.PlannedFailoverDrill;
import rsc.ops.SignalDrill;
import rsc.ops.StartNode;
import rsc.result.CommandResult;
import rsc.result.Message;
import rsc.result.Severity;
import rsc.result.Table;
import rsc.session.Session;
import rsc.model.Topology;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/** During an incident: events, watch, doctor, and the drills kill, pause and resume. */
final class IncidentCommands {

    private IncidentCommands() {
    }

    static List<CommandSpec<Session>> specs() {
        return List.of(
                CommandSpec.<Session>command("events").summary("the session's timeline: sentinel events and node changes")
                        .option(Option.value("since", ValueType.DURATION, "D", "only the last D (e.g. 10m)"))
                        .option(SessionCommands.groupOption())
                        .option(Option.value("export", ValueType.FILE, "FILE", "also write them as JSON lines to FILE"))
                        .example("events --since 10m").example("events --export incident.jsonl")
                        .handler(IncidentCommands::events).build(),
                CommandSpec.<Session>command("watch").summary("stream events as they happen, until Ctrl-C (or --for D)")
                        .option(SessionCommands.groupOption())
                        .option(Option.value("for", ValueType.DURATION, "D", "stop after D (needed in scripts)"))
                        .example("watch").example("watch --for 30s")
                        .handler(IncidentCommands::watch).build(),
                CommandSpec.<Session>command("doctor").summary("check a group for Sentinel and replication hazards, each with its fix")
                        .param(Param.optional("group", ValueType.GROUP, "the group (default: the current group)"))
                        .example("doctor").example("doctor orders --json")
                        .handler(IncidentCommands::doctor).build(),
                CommandSpec.<Session>command("drill").summary("rehearse a failure with an application writing throughout")
                        .sub(CommandSpec.<Session>command("failover")
                                .summary("write marker keys at a steady rate, kill the master, report downtime and lost writes")
                                .option(SessionCommands.groupOption())
                                .option(Option.value("writes", ValueType.COUNT, "N", "writes per second (with --planned: "
                                        + PLANNED_WRITES + ")").withDefault("50"))
                                .option(Option.value("wait-replicas", ValueType.COUNT, "N",
                                        "count a write as acknowledged only after WAIT N confirms it").withDefault("0"))
                                .option(Option.value("timeout", ValueType.DURATION, "D", "how long to wait for +switch-master").withDefault("60s"))
                                .option(Option.flag("keep-keys", "leave the marker keys (rsc:drill:*) for inspection"))
                                .option(Option.flag("planned", "no kill: N planned failovers, paused and --no-pause side by side,"
                                        + " under writes that ask Sentinel only when one fails; lost writes and pauses"))
                                .option(Option.value("count", ValueType.COUNT, "N", "with --planned: failovers each way").withDefault("20"))
                                .kind(CommandKind.CHANGES)
                                .example("drill failover --writes 100").example("drill failover --wait-replicas 1")
                                .example("drill failover --planned --count 20 --writes 150")
                                .handler(IncidentCommands::drillFailover)
                                .planner((inv, s) -> inv.flag("planned")
                                        ? PlannedFailoverDrill.plan(s, GroupCommands.group(inv, s), plannedRequest(inv))
                                        : FailoverDrill.plan(s, GroupCommands.group(inv, s), killRequest(inv))).build())
                        .kind(CommandKind.CHANGES).build(),
                drill("kill", "stop a node hard (SIGKILL), or freeze it with --signal STOP, to rehearse a failure",
                        Signal.KILL),
                drill("pause", "freeze a node (SIGSTOP / docker pause): it stops answering but keeps its data", Signal.STOP),
                drill("resume", "thaw a paused node (master or replica: the one of the group that is frozen)", Signal.CONT),
                CommandSpec.<Session>command("start").summary("start a stopped (killed) node again under its name and port; "
                                + "a data node follows the master of now")
                        .param(Param.required("node", ValueType.NODE, "a stopped node's name"))
                        .kind(CommandKind.CHANGES)
                        .example("start mymaster-redis-1")
                        .handler((inv, s) -> StartNode.run(s, inv.string("node").orElseThrow(), s.ui().progress()))
                        .planner((inv, s) -> StartNode.plan(s, inv.string("node").orElseThrow()))
                        .build());
    }

    private static CommandSpec<Session> drill(String name, String summary, Signal signal) {
        CommandSpec.Builder<Session> b = CommandSpec.<Session>command(name).summary(summary)
                .param(Param.required("target", ValueType.NODE, "master, replica, or a node's name").choices("master", "replica"))
                .option(SessionCommands.groupOption())
                .kind(CommandKind.CHANGES)
                .example(name + " master");
        if (signal == Signal.KILL) {
            b.option(Option.oneOf("signal", "the signal", "KILL", "STOP", "TERM").withDefault(signal.name()));
            b.example("kill replica --signal STOP");
        }
        return b.handler((inv, s) -> SignalDrill.run(s, name, GroupCommands.group(inv, s), inv.string("target").orElseThrow(),
                        signal(inv, signal)))
                .planner((inv, s) -> SignalDrill.plan(s, name, GroupCommands.group(inv, s), inv.string("target").orElseThrow(),
                        signal(inv, signal))).build();
    }

    /** The drill's signal: {@code --signal} (one of the declared choices) where the drill takes it, else its own. */
    private static Signal signal(Invocation inv, Signal drillSignal) {
        return inv.string("signal").map(Signal::valueOf).orElse(drillSignal);
    }

    private static CommandResult drillFailover(Invocation inv, Session s) throws InterruptedException {
        if (inv.flag("planned")) {
            return plannedDrill(inv, s);
        }
        String group = GroupCommands.group(inv, s);
        FailoverDrill.Report r = FailoverDrill.run(s, group, killRequest(inv), s.ui().progress());
        Table t = Table.ofGroup(group, "failover drill", "figure", "value")
                .row("killed master", r.from())
                .row("new master", Views.name(s, s.backend().nodes(group), rsc.model.Endpoint.parse(r.to())))
                .row("kill -> +switch-master", String.format(Locale.ROOT, "%.1f s", r.switchAfter().toMillis() / 1000.0))
                .row("longest time without an acknowledged write", String.format(Locale.ROOT, "%.1f s", r.unwritable().toMillis() / 1000.0))
                .row("writes attempted", r.attempted())
                .row("writes acknowledged", r.acknowledged())
                .row("writes failed (error or no answer)", r.failed())
                .row("acknowledged, then lost", new Table.Cell(r.lost(), r.lost() == 0 ? Severity.OK : Severity.ERROR))
                .build();
        CommandResult.Builder b = CommandResult.builder().add(t);
        if (r.lost() > 0) {
            b.warn(r.lost() + " acknowledged write(s) were lost: asynchronous replication; '--wait-replicas 1' "
                    + "shows what WAIT would have kept");
        } else {
            b.ok("no acknowledged write was lost");
        }
        return b.build();
    }

    /** The kill drill's options, checked alike for a run and a dry run. */
    private static FailoverDrill.Request killRequest(Invocation inv) {
        if (inv.has("count")) {
            throw new UsageException("--count goes with --planned");
        }
        int rate = inv.valueOrDefault("writes", Integer.class);
        if (rate == 0) {
            throw new UsageException("--writes must be at least 1 per second");
        }
        return new FailoverDrill.Request(rate, inv.valueOrDefault("wait-replicas", Integer.class),
                inv.valueOrDefault("timeout", Duration.class), inv.flag("keep-keys"));
    }

    /** The planned drill's options, checked alike for a run and a dry run. */
    private static PlannedFailoverDrill.Request plannedRequest(Invocation inv) {
        int rate = plannedWrites(inv);
        int count = inv.valueOrDefault("count", Integer.class);
        if (rate == 0 || count == 0) {
            throw new UsageException("--writes and --count must be at least 1");
        }
        if (inv.has("wait-replicas") || inv.flag("keep-keys")) {
            throw new UsageException("--wait-replicas and --keep-keys are for the kill drill, not --planned");
        }
        return new PlannedFailoverDrill.Request(count, rate, inv.valueOrDefault("timeout", Duration.class));
    }

    private static CommandResult plannedDrill(Invocation inv, Session s) throws InterruptedException {
        String group = GroupCommands.group(inv, s);
        PlannedFailoverDrill.Request request = plannedRequest(inv);
        int rate = request.writesPerSecond();
        int count = request.count();
        List<PlannedFailoverDrill.Row> rows = PlannedFailoverDrill.run(s, group, request, s.ui().progress());
        Table.Builder t = Table.of(group + ": " + count + " planned failovers each way at " + rate
                        + " writes/s (down-after " + rows.get(0).downAfterMs() + " ms)", "failover", "writes acknowledged",
                "failed", "acknowledged, then lost", "longest without an acknowledged write", "longest pause", "mean switch");
        for (PlannedFailoverDrill.Row r : rows) {
            t.row(r.mode(), r.acknowledged(), r.failed(), new Table.Cell(r.lost(), r.lost() == 0 ? Severity.OK : Severity.ERROR),
                    String.format(Locale.ROOT, "%.2f s", r.longestWithoutAck().toMillis() / 1000.0),
                    r.longestPauseMs() > 0 ? r.longestPauseMs() + " ms" : "-",
                    String.format(Locale.ROOT, "%.1f s", r.meanSwitchSeconds()));
        }
        CommandResult.Builder b = CommandResult.builder().add(t.build());
        PlannedFailoverDrill.Row paused = rows.get(0);
        if (paused.lost() == 0) {
            b.ok("paused: no acknowledged write lost over " + count + " failovers");
        } else {
            b.error("paused: " + paused.lost() + " acknowledged write(s) lost");
        }
        return b.build();
    }

    /** The planned drill's rate when --writes is not given: three times the kill drill's, to see a pause's cost. */
    private static final int PLANNED_WRITES = 150;

    private static int plannedWrites(Invocation inv) {
        return inv.integer("writes").orElse(PLANNED_WRITES);
    }

    private static CommandResult events(Invocation inv, Session s) throws InterruptedException {
        boolean wasFollowing = !s.events().subscribed().isEmpty();
        s.follow();
        Instant from = inv.duration("since").map(d -> Instant.now().minus(d)).orElse(Instant.EPOCH);
        List<Event> events = s.events().timeline().since(from).stream()
                .filter(e -> inv.string("group").map(g -> g.equals(e.group())).orElse(true)).toList();
        Topology known = s.topology().snapshot();
        if (!events.isEmpty() && known.takenAt().equals(Instant.EPOCH)) {
            try {
                known = s.topology().refreshNow(); // nodes not listed yet: names come from the backend once
            } catch (RuntimeException e) {
                // the backend cannot list its nodes now: the details keep the addresses, the timeline is still shown
            }
        }
        // one schema for text, --json and --export: the same table, turned into plain values once (Plain)
        Table table = EventRows.table(events, known.names());
        CommandResult.Builder b = CommandResult.builder().add(table);
        if (!wasFollowing && events.isEmpty()) {
            b.info("following the sentinels' events from now on");
        }
        if (inv.has("export")) {
            Path file = Path.of(inv.string("export").orElseThrow());
            StringBuilder lines = new StringBuilder();
            for (java.util.Map<String, Object> row : rsc.result.Plain.rows(table)) {
                lines.append(Json.object(row)).append('\n');
            }
            ExportFile.write(file, lines.toString());
            b.ok("wrote " + events.size() + " event(s) to " + file);
        }
        return b.build();
    }

    private static CommandResult watch(Invocation inv, Session s) throws InterruptedException {
        if (!s.ui().interactive() && !inv.has("for")) {
            throw new UsageException("watch needs --for D outside an interactive console (it would never end)");
        }
        s.followNow();
        String group = inv.string("group").orElse(null);
        // made here, not when the class loads: java.time's formatters cost every one-shot's command table ~10 ms
        DateTimeFormatter clock = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
        Consumer<Event> printer = e -> {
            if (group == null || group.equals(e.group())) {
                s.ui().notice(new Message(e.severity(),
                        LocalTime.ofInstant(e.at(), ZoneId.systemDefault()).format(clock) + " "
                                + rsc.events.EventText.line(e, s.topology().snapshot().names())));
            }
        };
        if (!s.console().liveEvents()) {
            s.events().timeline().listen(printer);
        }
        try {
            s.ui().notice(Message.info("watching events" + (group == null ? "" : " of " + group)
                    + (inv.has("for") ? " for " + inv.duration("for").orElseThrow().toSeconds() + " s" : "; Ctrl-C stops")));
            Thread.sleep(inv.duration("for").map(Duration::toMillis).orElse(Long.MAX_VALUE));
        } catch (InterruptedException e) {
            return CommandResult.info("stopped watching");
        } finally {
            s.events().timeline().unlisten(printer);
        }
        return CommandResult.info("stopped watching");
    }

    private static CommandResult doctor(Invocation inv, Session s) throws InterruptedException {
        String group = GroupCommands.group(inv, s);
        List<Finding> findings = Doctor.examine(s, group);
        CommandResult.Builder b = CommandResult.builder();
        if (findings.isEmpty()) {
            return b.ok(group + ": no findings; the group looks healthy").build();
        }
        Table.Builder t = Table.ofGroup(group, "findings", "severity", "check", "finding", "fix");
        for (Finding f : findings) {
            // the fix column holds only what runs at the prompt; advice beside a command goes with the finding
            boolean both = !f.command().isEmpty() && !f.fix().isEmpty();
            t.row(new Table.Cell(f.severity().name().toLowerCase(Locale.ROOT), f.severity()), f.check(),
                    both ? f.what() + " (" + f.fix() + ")" : f.what(), f.command().isEmpty() ? f.fix() : f.command());
        }
        b.add(t.build());
        long errors = findings.stream().filter(f -> f.severity() == Severity.ERROR).count();
        if (findings.stream().allMatch(f -> f.severity() == Severity.INFO)) {
            b.ok(group + ": nothing left to fix");
        } else if (errors > 0) {
            b.error(group + ": " + errors + " error(s), " + (findings.size() - errors) + " warning(s)");
        } else {
            b.warn(group + ": " + findings.size() + " warning(s)");
        }
        return b.build();
    }
}

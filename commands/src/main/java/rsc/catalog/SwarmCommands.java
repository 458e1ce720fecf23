package rsc.catalog;

import rsc.backend.swarm.SwarmInspection;
import rsc.backend.swarm.SwarmNodeInfo;
import rsc.backend.swarm.SwarmService;
import rsc.backend.swarm.SwarmTask;
import rsc.command.CommandKind;
import rsc.command.CommandSpec;
import rsc.command.Invocation;
import rsc.command.Option;
import rsc.command.Param;
import rsc.error.RscException;
import rsc.error.UsageException;
import rsc.command.ValueType;
import rsc.result.CommandResult;
import rsc.result.Message;
import rsc.result.Severity;
import rsc.ops.DrainMachine;
import rsc.result.Table;
import rsc.session.Session;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Commands that look at the swarm itself: services, tasks, machines and logs. They need the swarm backend. */
final class SwarmCommands {

    private SwarmCommands() {
    }

    static List<CommandSpec<Session>> specs() {
        return List.of(
                CommandSpec.<Session>command("services").summary("list the swarm's services: mode, replicas, image, endpoint mode, ports")
                        .kind(CommandKind.READS)
                        .example("services")
                        .handler(SwarmCommands::services).build(),
                CommandSpec.<Session>command("ps").summary("list tasks of every service, or of one: state, overlay address, ports, error")
                        .param(Param.optional("service", ValueType.SERVICE, "a service name or id"))
                        .kind(CommandKind.READS)
                        .example("ps").example("ps mymaster-redis-1")
                        .handler(SwarmCommands::ps).build(),
                CommandSpec.<Session>command("nodes").summary("list the swarm's machines: role, availability, state, address")
                        .kind(CommandKind.READS)
                        .example("nodes")
                        .handler(SwarmCommands::nodes).build(),
                CommandSpec.<Session>command("logs").summary("show a service's or a task's log; --follow streams it until Ctrl-C")
                        .param(Param.required("target", ValueType.SERVICE_OR_TASK, "a service name or id, or a task id"))
                        .option(Option.value("tail", ValueType.COUNT, "N", "only the last N lines"))
                        .option(Option.flag("follow", "keep printing new lines until Ctrl-C"))
                        .kind(CommandKind.READS)
                        .example("logs mymaster-sentinel-1 --tail 20").example("logs mymaster-redis-1 --follow")
                        .handler(SwarmCommands::logs).build(),
                CommandSpec.<Session>command("drain").summary("take a swarm node out of service: fail over the masters there, "
                                + "drain it, return when its nodes run elsewhere and are linked")
                        .param(Param.required("node", ValueType.WORD, "a swarm node: id, id prefix or address ('nodes')"))
                        .kind(CommandKind.CHANGES)
                        .example("drain 10.77.3.2").example("drain 7sgklnvkn7js --dry-run")
                        .handler((inv, s) -> DrainMachine.run(s, inv.string("node").orElseThrow(), s.ui().progress()))
                        .planner((inv, s) -> DrainMachine.plan(s, inv.string("node").orElseThrow())).build(),
                CommandSpec.<Session>command("activate").summary("let Swarm place tasks on a drained swarm node again")
                        .param(Param.required("node", ValueType.WORD, "a swarm node: id, id prefix or address ('nodes')"))
                        .kind(CommandKind.CHANGES)
                        .example("activate 10.77.3.2")
                        .handler((inv, s) -> DrainMachine.activate(s, inv.string("node").orElseThrow()))
                        .planner((inv, s) -> DrainMachine.planActivate(s, inv.string("node").orElseThrow())).build());
    }

    /** The backend's view of the swarm, or a one-line error naming the command when the backend has none. */
    static SwarmInspection swarm(Session s, String command) {
        return s.backend().capability(SwarmInspection.class).orElseThrow(() ->
                new RscException("'" + command + "' needs the swarm backend (start rsc with --backend swarm)"));
    }

    private static CommandResult services(Invocation inv, Session s) {
        List<SwarmService> services = swarm(s, "services").services();
        if (services.isEmpty()) {
            return CommandResult.info("no services on this swarm");
        }
        Table.Builder t = Table.of("services", "name", "mode", "replicas", "image", "endpoint", "ports", "rsc group");
        for (SwarmService svc : services) {
            t.row(svc.name(), svc.mode(), svc.replicas() < 0 ? null : svc.replicas(), svc.image(), svc.endpointMode(),
                    svc.ports().isEmpty() ? null : String.join(", ", svc.ports()), svc.label("rsc.group"));
        }
        return CommandResult.of(t.build());
    }

    private static CommandResult ps(Invocation inv, Session s) {
        Optional<String> service = inv.string("service");
        List<SwarmTask> tasks = swarm(s, "ps").tasks(service);
        if (tasks.isEmpty()) {
            return CommandResult.info(service.map(n -> "no tasks for " + n).orElse("no tasks on this swarm"));
        }
        List<SwarmNodeInfo> machines = swarm(s, "ps").swarmNodes();
        Table.Builder t = Table.of("tasks", "task", "service", "node", "state", "desired", "address", "ports", "error");
        for (SwarmTask task : tasks) {
            // every node of a cloned fleet may report the same hostname: show the node by id and address
            String node = machines.stream().filter(m -> m.id().equals(task.nodeId())).map(m -> m.host().label())
                    .findFirst().orElse(task.nodeId().isEmpty() ? null : shorten(task.nodeId()));
            Object state = task.running() ? new Table.Cell(task.state(), Severity.OK)
                    : task.ended() && !task.error().isEmpty() ? new Table.Cell(task.state(), Severity.ERROR) : task.state();
            t.row(task.shortId(), task.serviceName().isEmpty() ? shorten(task.serviceId()) : task.serviceName() + "." + task.slot(),
                    node, state, task.desiredState(),
                    task.addresses().isEmpty() ? null : String.join(", ", task.addresses()),
                    task.ports().isEmpty() ? null : task.ports().stream().map(SwarmTask.PublishedPort::toString)
                            .collect(Collectors.joining(", ")),
                    task.error().isEmpty() ? null : task.error());
        }
        return CommandResult.of(t.build());
    }

    private static CommandResult nodes(Invocation inv, Session s) {
        List<SwarmNodeInfo> machines = swarm(s, "nodes").swarmNodes();
        Table.Builder t = Table.of("swarm nodes", "id", "address", "hostname", "role", "availability", "state");
        for (SwarmNodeInfo n : machines) {
            String role = n.role() + (n.leader() ? " (leader)" : "");
            Object state = "ready".equals(n.state()) ? new Table.Cell(n.state(), Severity.OK)
                    : new Table.Cell(n.state(), Severity.ERROR);
            t.row(shorten(n.id()), n.reachableAddress(), n.hostname(), role, n.availability(), state);
        }
        return CommandResult.of(t.build());
    }

    private static CommandResult logs(Invocation inv, Session s) {
        SwarmInspection swarm = swarm(s, "logs");
        String target = inv.string("target").orElseThrow();
        Optional<Integer> tail = inv.integer("tail");
        if (inv.flag("follow")) {
            if (inv.json()) {
                throw new UsageException("'logs --follow' prints lines as they come and has no --json form");
            }
            swarm.logs(target, tail, true, line -> s.ui().notice(Message.info(line)));
            return CommandResult.empty();
        }
        List<String> lines = new ArrayList<>();
        swarm.logs(target, tail, false, lines::add);
        if (lines.isEmpty()) {
            return CommandResult.info("no log lines from " + target);
        }
        Table.Builder t = Table.of("log of " + target, "line");
        lines.forEach(t::row);
        return CommandResult.of(t.build());
    }

    private static String shorten(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }
}

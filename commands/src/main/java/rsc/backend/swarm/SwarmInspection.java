package rsc.backend.swarm;

import rsc.error.RscException;
import rsc.model.Names;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * What Swarm runs, as the swarm-only commands show it ({@code services}, {@code ps}, {@code nodes}, {@code logs}): the
 * whole swarm, not only rsc's groups.
 */
public final class SwarmInspection {

    private final SwarmGateway gateway;

    SwarmInspection(SwarmGateway gateway) {
        this.gateway = gateway;
    }

    /** Every service of the swarm, sorted by name. */
    public List<SwarmService> services() {
        return gateway.services(Map.of()).stream().sorted(Comparator.comparing(SwarmService::name)).toList();
    }

    /** Tasks of one service (by name or id), or of every service; sorted by service, slot and newest first. */
    public List<SwarmTask> tasks(Optional<String> service) {
        List<SwarmService> all = gateway.services(Map.of());
        Map<String, String> names = all.stream().collect(Collectors.toMap(SwarmService::id, SwarmService::name));
        List<String> filter = List.of();
        if (service.isPresent()) {
            SwarmService s = findService(all, service.get())
                    .orElseThrow(() -> new RscException("no service " + Names.printable(service.get()) + " on this swarm"));
            filter = List.of(s.name());
        } else if (all.isEmpty()) {
            return List.of();
        }
        return gateway.tasks(filter, names).stream()
                .sorted(Comparator.comparing(SwarmTask::serviceName).thenComparingInt(SwarmTask::slot)
                        .thenComparing(Comparator.comparing(SwarmTask::timestamp).reversed()))
                .toList();
    }

    private static Optional<SwarmService> findService(List<SwarmService> all, String nameOrId) {
        return all.stream().filter(s -> s.name().equals(nameOrId)).findFirst()
                .or(() -> all.stream().filter(s -> s.id().startsWith(nameOrId)).findFirst());
    }

    /** The machines of the swarm. */
    public List<SwarmNodeInfo> swarmNodes() {
        return gateway.swarmNodes().stream().sorted(Comparator.comparing(SwarmNodeInfo::hostname)).toList();
    }

    /**
     * Prints a service's or a task's log through {@code lines}. With {@code follow} it returns when the thread is
     * interrupted (Ctrl-C) or the stream ends.
     */
    public void logs(String serviceOrTask, Optional<Integer> tail, boolean follow, Consumer<String> lines) {
        List<SwarmService> all = gateway.services(Map.of());
        Optional<SwarmService> service = findService(all, serviceOrTask);
        if (service.isPresent()) {
            gateway.logs(service.get().id(), false, tail.orElse(null), follow, lines);
            return;
        }
        Map<String, String> names = all.stream().collect(Collectors.toMap(SwarmService::id, SwarmService::name));
        String taskId = serviceOrTask;
        int dot = serviceOrTask.lastIndexOf('.');
        if (dot > 0) {
            taskId = serviceOrTask.substring(dot + 1);   // svc.slot.taskid, as docker names task containers
        }
        SwarmTask task = gateway.task(taskId, names)
                .orElseThrow(() -> new RscException("no service or task " + Names.printable(serviceOrTask) + " on this swarm"));
        gateway.logs(task.id(), true, tail.orElse(null), follow, lines);
    }

}

package rsc.backend.swarm;

import rsc.backend.Progress;
import rsc.error.RscException;
import rsc.model.Node;
import rsc.backend.Settings;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static rsc.backend.swarm.SwarmBackend.CREATED;
import static rsc.backend.swarm.SwarmBackend.GONE_TIMEOUT;
import static rsc.backend.swarm.SwarmBackend.GROUP;
import static rsc.backend.swarm.SwarmBackend.MANAGED;

/**
 * Removing rsc's services: one node, or a whole group with its secret and (when rsc made it and nothing else uses it)
 * its network. Removal waits until the containers are gone on every swarm node, so a node removed is not still
 * answering; its {@code plan} methods list the same Engine API calls for {@code --dry-run} without making them.
 */
final class ServiceRemoval {

    private final Settings settings;
    private final SwarmGateway gateway;
    private final TaskReach reach;

    ServiceRemoval(Settings settings, SwarmGateway gateway, TaskReach reach) {
        this.settings = settings;
        this.gateway = gateway;
        this.reach = reach;
    }

    void remove(Node node) {
        Optional<SwarmService> service = managedService(node.name());
        if (service.isEmpty()) {
            reach.forget(node.name());
            return;
        }
        List<SwarmTask> live = liveTasks(List.of(service.get()));
        gateway.removeService(service.get().id());
        awaitGone(List.of(node.name()), live, Progress.NONE);
        reach.forget(node.name());
    }

    List<String> planRemove(Node node) {
        return managedService(node.name()).isEmpty()
                ? List.of("(no service " + node.name() + " on this swarm: nothing to remove)")
                : removalLines(List.of(node.name()));
    }

    void destroy(String group, Progress progress) {
        List<SwarmService> services = gateway.services(Map.of(MANAGED, "true", GROUP, group));
        List<SwarmTask> live = liveTasks(services);
        int i = 0;
        for (SwarmService s : services) {
            i++;
            progress.update("removing " + s.name() + " (" + i + "/" + services.size() + ")");
            gateway.removeService(s.id());
            reach.forget(s.name());
        }
        awaitGone(services.stream().map(SwarmService::name).toList(), live, progress);
        for (GroupSecrets.Generation secret : GroupSecrets.all(gateway, group)) {
            progress.update("removing the secret " + secret.name());
            gateway.secrets().remove(secret.id());
        }
        removeNetworkIfUnused(progress);
    }

    List<String> planDestroy(String group) {
        List<SwarmService> services = gateway.services(Map.of(MANAGED, "true", GROUP, group));
        List<String> calls = new ArrayList<>(services.isEmpty() ? List.of()
                : removalLines(services.stream().map(SwarmService::name).toList()));
        GroupSecrets.all(gateway, group).forEach(secret -> calls.add("DELETE /secrets/" + DockerErrors.shortId(secret.id())
                + "   # " + secret.name()));
        Set<String> ids = services.stream().map(SwarmService::id).collect(Collectors.toSet());
        Optional<SwarmNetworks.NetworkInfo> net = rscNetwork();
        if (net.isPresent() && !usedOutside(net.get(), ids)) {
            calls.add("DELETE /networks/" + settings.network() + "   # rsc created it and nothing else uses it");
        }
        return calls;
    }

    /** {@code DELETE /services/NAME} for each, then the wait for their containers. */
    static List<String> removalLines(List<String> names) {
        List<String> calls = new ArrayList<>();
        names.forEach(n -> calls.add("DELETE /services/" + n));
        calls.add("GET /tasks and /containers until the containers of " + String.join(", ", names)
                + " are gone on every swarm node; timeout " + GONE_TIMEOUT.toSeconds() + " s");
        return calls;
    }

    /** Tasks of these services whose containers may still run, on any swarm node. */
    private List<SwarmTask> liveTasks(List<SwarmService> services) {
        if (services.isEmpty()) {
            return List.of();
        }
        Map<String, String> names = services.stream().collect(Collectors.toMap(SwarmService::id, SwarmService::name));
        return gateway.tasks(List.copyOf(names.values()), names).stream()
                .filter(t -> !t.ended() && !t.containerId().isEmpty()).toList();
    }

    /** The rsc service of this name, if there is one. */
    Optional<SwarmService> managedService(String name) {
        return gateway.services(Map.of(MANAGED, "true")).stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /**
     * Waits until the removed services' containers are gone: on this engine by listing them, on other swarm nodes
     * (which this engine cannot list) by their tasks, until each is gone or shut down. A task on a swarm node that is
     * down is not waited for: its node cannot report it.
     */
    void awaitGone(List<String> names, List<SwarmTask> tasks, Progress progress) {
        long start = System.nanoTime();
        long deadline = start + GONE_TIMEOUT.toNanos();
        Set<String> lostNodes = tasks.isEmpty() ? Set.of() : gateway.swarmNodes().stream().filter(n -> !n.ready())
                .map(SwarmNodeInfo::id).collect(Collectors.toSet());
        while (true) {
            Set<String> running = new TreeSet<>();
            for (SwarmTask t : tasks) {
                if (!lostNodes.contains(t.nodeId()) && gateway.task(t.id(), Map.of()).filter(x -> !x.ended()).isPresent()) {
                    running.add(t.serviceName());
                }
            }
            List<String> left = names.stream().filter(n -> !gateway.containers().of(n).isEmpty() || running.contains(n)).toList();
            if (left.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new RscException("the containers of " + String.join(", ", left) + " are still there "
                        + GONE_TIMEOUT.toSeconds() + " s after their services were removed");
            }
            progress.update("waiting for the containers of " + String.join(", ", left) + " to go ("
                    + (System.nanoTime() - start) / 1_000_000_000L + " s)");
            SwarmBackend.sleep(250);
        }
    }

    /** The configured network when rsc created it. */
    private Optional<SwarmNetworks.NetworkInfo> rscNetwork() {
        return gateway.networks().byName(settings.network()).filter(n -> "true".equals(n.labels().get(CREATED)));
    }

    private boolean used(SwarmNetworks.NetworkInfo net) {
        return usedOutside(net, Set.of());
    }

    /** True when a service other than those with these ids is attached to the network. */
    private boolean usedOutside(SwarmNetworks.NetworkInfo net, Set<String> serviceIds) {
        return gateway.services(Map.of()).stream().filter(s -> !serviceIds.contains(s.id()))
                .anyMatch(s -> s.networks().contains(net.id()) || s.networks().contains(settings.network()));
    }

    /** Removes the overlay network when rsc created it and no service uses it any more. */
    private void removeNetworkIfUnused(Progress progress) {
        Optional<SwarmNetworks.NetworkInfo> net = rscNetwork();
        if (net.isEmpty() || used(net.get())) {
            return;
        }
        String id = net.get().id();
        progress.update("removing network " + settings.network());
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try {
                gateway.networks().remove(id);
                return;
            } catch (RscException e) {
                if (System.nanoTime() > deadline || gateway.networks().byName(settings.network()).isEmpty()) {
                    return;   // still in use by something outside rsc, or already gone: leave it
                }
                SwarmBackend.sleep(500);
            }
        }
    }
}

package rsc.backend.swarm;

import rsc.model.Endpoint;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the console reaches a task: the address of the swarm node it runs on and the port it publishes there in host
 * mode. Sentinels and replicas announce tasks by service name or overlay address, which the manager's host cannot
 * reach; this keeps the mapping from those to the reachable endpoint, rebuilt from every fresh listing, so it follows
 * a task that Swarm moved to another node (new node, new port).
 */
final class TaskReach {

    /** Announced host (service name or overlay address) of rsc's nodes -> where the console reaches it. */
    private final Map<String, Endpoint> byHost = new ConcurrentHashMap<>();
    /** The same for the tasks of hand-built groups ({@code attach --services}), by group. */
    private final Map<String, Map<String, Endpoint>> recipes = new ConcurrentHashMap<>();

    /** The endpoint of a task's published {@code port}, on the address of the node it runs on. */
    static Optional<Endpoint> of(SwarmTask task, int port, Map<String, SwarmNodeInfo> nodesById) {
        return of(task, port, 0, nodesById);
    }

    /**
     * The same, falling back to the port the service's spec publishes ({@code specPort}, 0 for none) while the task
     * runs: after the swarm's managers elect another leader, Swarm reports every task with an empty port status
     * (seen here with Engine 20.10: {@code Status.PortStatus} is {} on every running task until it restarts), and
     * only a port fixed in the spec still says where the task listens.
     */
    static Optional<Endpoint> of(SwarmTask task, int port, int specPort, Map<String, SwarmNodeInfo> nodesById) {
        Optional<Integer> published = task.published(port)
                .or(() -> specPort > 0 && task.running() ? Optional.of(specPort) : Optional.empty());
        if (published.isEmpty()) {
            return Optional.empty();
        }
        SwarmNodeInfo node = nodesById.get(task.nodeId());
        return Optional.of(new Endpoint(node == null ? "127.0.0.1" : node.reachableAddress(), published.get()));
    }

    /** Takes what one listing of every rsc node saw; forgets what it no longer saw. */
    void replaceAll(Map<String, Endpoint> seen) {
        byHost.keySet().retainAll(seen.keySet());
        byHost.putAll(seen);
    }

    /** Adds what a partial listing (one group) or a start saw. */
    void putAll(Map<String, Endpoint> seen) {
        byHost.putAll(seen);
    }

    /** Forgets a removed node: its name and every address that led to the same endpoint. */
    void forget(String name) {
        Endpoint reach = byHost.remove(name);
        if (reach != null) {
            byHost.values().removeIf(reach::equals);
        }
    }

    void recipe(String group, Map<String, Endpoint> seen) {
        recipes.put(group, Map.copyOf(seen));
    }

    /** True when {@code e} is itself where the console reaches some task (already mapped, nothing to translate). */
    boolean isEndpoint(Endpoint e) {
        return byHost.containsValue(e) || recipes.values().stream().anyMatch(m -> m.containsValue(e));
    }

    Optional<Endpoint> lookup(String announcedHost) {
        Endpoint reach = byHost.get(announcedHost);
        if (reach == null) {
            for (Map<String, Endpoint> m : recipes.values()) {
                reach = m.get(announcedHost);
                if (reach != null) {
                    break;
                }
            }
        }
        return Optional.ofNullable(reach);
    }
}

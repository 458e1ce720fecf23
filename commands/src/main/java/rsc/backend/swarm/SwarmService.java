package rsc.backend.swarm;

import java.util.List;
import java.util.Map;

/**
 * One Swarm service as the gateway read it.
 *
 * @param id           service id
 * @param name         service name
 * @param labels       service labels
 * @param image        the task template's image
 * @param mode         {@code replicated} or {@code global}
 * @param replicas     desired replicas (replicated mode), else -1
 * @param endpointMode {@code vip} or {@code dnsrr}
 * @param ports        published ports as {@code [published:]target/proto (mode)}
 * @param networks     ids of the networks its tasks attach to
 */
public record SwarmService(String id, String name, Map<String, String> labels, String image, String mode,
                           long replicas, String endpointMode, List<String> ports, List<String> networks) {

    public SwarmService {
        labels = Map.copyOf(labels);
        ports = List.copyOf(ports);
        networks = List.copyOf(networks);
    }

    /** The host port the spec publishes for {@code target} ({@code P:T/tcp (host)}), 0 when Swarm chooses it. */
    public int publishedPort(int target) {
        return publishedPorts().getOrDefault(target, 0);
    }

    /** Target port to the host port the spec fixes for it, for every port that has one. */
    public Map<Integer, Integer> publishedPorts() {
        Map<Integer, Integer> out = new java.util.HashMap<>();
        for (String p : ports) {
            int colon = p.indexOf(':');
            int slash = p.indexOf('/');
            if (colon > 0 && slash > colon) {
                try {
                    out.put(Integer.parseInt(p.substring(colon + 1, slash)), Integer.parseInt(p.substring(0, colon)));
                } catch (NumberFormatException e) {
                    // not a published port
                }
            }
        }
        return out;
    }

    public String label(String key) {
        return labels.get(key);
    }
}

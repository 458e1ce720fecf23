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

    public String label(String key) {
        return labels.get(key);
    }
}

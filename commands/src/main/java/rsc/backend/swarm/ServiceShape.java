package rsc.backend.swarm;

import java.util.List;
import java.util.Map;

/**
 * What {@code doctor} looks at in a service: how it is reached, how Swarm restarts it, what it runs.
 *
 * @param restartCondition {@code any}, {@code on-failure} or {@code none} (Swarm's default, {@code any}, when unset)
 * @param ports            published ports as {@code target/proto} to publish mode ({@code ingress} or {@code host})
 * @param command          the container's command followed by its arguments
 */
record ServiceShape(String id, String name, Map<String, String> labels, String image, String endpointMode,
                    Map<String, String> ports, String restartCondition, List<String> command) {
    ServiceShape {
        labels = Map.copyOf(labels);
        ports = Map.copyOf(ports);
        command = List.copyOf(command);
    }
}

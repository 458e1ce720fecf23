package rsc.backend.swarm;

import java.util.List;
import java.util.Optional;

/**
 * One Swarm task as the gateway read it.
 *
 * @param id           task id
 * @param serviceId    its service's id
 * @param serviceName  its service's name (empty when the service is gone)
 * @param slot         replica slot
 * @param nodeId       the swarm node it was scheduled on
 * @param state        current state, lower case ({@code running}, {@code failed}, ...)
 * @param desiredState desired state, lower case
 * @param message      Swarm's status message
 * @param error        Swarm's {@code Status.Err}, empty when none
 * @param containerId  its container, empty before one exists
 * @param addresses    overlay addresses, without prefix length
 * @param ports        host-published ports, de-duplicated
 * @param timestamp    when its status last changed (RFC 3339 text from the engine)
 */
public record SwarmTask(String id, String serviceId, String serviceName, int slot, String nodeId, String state,
                        String desiredState, String message, String error, String containerId, List<String> addresses,
                        List<PublishedPort> ports, String timestamp) {

    /** A port a task publishes on its node. */
    public record PublishedPort(int target, int published, String protocol) {
        @Override
        public String toString() {
            return published + "->" + target + "/" + protocol;
        }
    }

    public SwarmTask {
        addresses = List.copyOf(addresses);
        ports = List.copyOf(ports);
    }

    public boolean running() {
        return "running".equals(state);
    }

    public boolean wantedRunning() {
        return "running".equals(desiredState);
    }

    /** Ended without a chance to come back: failed, rejected, or shut down. */
    public boolean ended() {
        return switch (state) {
            case "failed", "rejected", "shutdown", "complete", "orphaned", "remove" -> true;
            default -> false;
        };
    }

    /** The host port published for a target port. */
    public Optional<Integer> published(int target) {
        return ports.stream().filter(p -> p.target() == target && p.published() > 0).map(PublishedPort::published).findFirst();
    }

    /** Task id cut to 12 characters, as {@code docker service ps} shows it. */
    public String shortId() {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }
}

package rsc.backend.swarm;

import rsc.model.Host;

import java.util.Map;

/**
 * One machine of the swarm.
 *
 * @param id             node id
 * @param hostname       its hostname (not unique: nodes cloned from one image all say the same)
 * @param role           {@code manager} or {@code worker}
 * @param availability   {@code active}, {@code pause} or {@code drain}
 * @param state          {@code ready}, {@code down}, ...
 * @param address        its {@code Status.Addr}
 * @param leader         whether it is the raft leader
 * @param managerAddress a manager's {@code ManagerStatus.Addr} ({@code host:port}), empty for a worker
 * @param labels         its node labels ({@code docker node update --label-add})
 */
public record SwarmNodeInfo(String id, String hostname, String role, String availability, String state, String address,
                            boolean leader, String managerAddress, Map<String, String> labels) {

    /** The node label naming where this node's Docker Engine socket is, for drills run as tasks on it. */
    static final String SOCKET_LABEL = "rsc.docker-socket";

    public SwarmNodeInfo {
        labels = Map.copyOf(labels);
    }

    /**
     * The address the console reaches this node's published ports at: {@code Status.Addr}, except that a manager may
     * report {@code 0.0.0.0} or {@code 127.0.0.1} there; then the host of its {@code ManagerStatus.Addr}.
     */
    public String reachableAddress() {
        boolean useless = address.isEmpty() || "0.0.0.0".equals(address) || "::".equals(address);
        if ((useless || address.startsWith("127.")) && !managerAddress.isEmpty()) {
            int colon = managerAddress.lastIndexOf(':');
            String host = colon > 0 ? managerAddress.substring(0, colon) : managerAddress;
            if (!host.isEmpty() && !"0.0.0.0".equals(host)) {
                return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
            }
        }
        return useless ? "127.0.0.1" : address;
    }

    public boolean ready() {
        return "ready".equals(state);
    }

    /** Ready and active: Swarm places new tasks here. */
    public boolean schedulable() {
        return ready() && "active".equals(availability);
    }

    /** Where this node's Docker Engine socket is, on the node itself (its label, else Docker's default). */
    public String dockerSocket() {
        return labels.getOrDefault(SOCKET_LABEL, "/var/run/docker.sock");
    }

    /** The model's view of this machine. */
    public Host host() {
        return new Host(id, reachableAddress(), state, availability);
    }
}

package rsc.backend.swarm;

/**
 * One machine of the swarm.
 *
 * @param id           node id
 * @param hostname     its hostname
 * @param role         {@code manager} or {@code worker}
 * @param availability {@code active}, {@code pause} or {@code drain}
 * @param state        {@code ready}, {@code down}, ...
 * @param address      its address
 * @param leader       whether it is the raft leader
 */
public record SwarmNodeInfo(String id, String hostname, String role, String availability, String state, String address,
                            boolean leader) {
}

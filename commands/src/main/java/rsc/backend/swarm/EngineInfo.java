package rsc.backend.swarm;

/**
 * The Docker Engine the gateway talks to.
 *
 * @param host          the DOCKER_HOST it was reached at
 * @param version       the engine version
 * @param engineApi     the newest API version the engine speaks
 * @param api           the API version the gateway uses
 * @param swarmState    {@code active}, {@code inactive}, ...
 * @param manager       whether this engine is a swarm manager that accepts control requests
 * @param nodeId        this engine's swarm node id
 * @param nodeAddress   this engine's swarm address
 */
public record EngineInfo(String host, String version, String engineApi, String api, String swarmState, boolean manager,
                         String nodeId, String nodeAddress) {
}

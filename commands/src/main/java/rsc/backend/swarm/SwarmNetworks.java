package rsc.backend.swarm;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Network;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The swarm's networks, through the Engine API: the overlay a group's services join ({@link OverlayNetwork} decides
 * which and when), and {@code docker_gwbridge}, the one address of a port-less task the manager can reach.
 */
final class SwarmNetworks {

    private final String host;
    private final DockerClient docker;

    SwarmNetworks(String host, DockerClient docker) {
        this.host = host;
        this.docker = docker;
    }

    /** A network by exact name. */
    Optional<NetworkInfo> byName(String name) {
        List<Network> all = call("list networks", () -> docker.listNetworksCmd().withNameFilter(name).exec());
        return all.stream().filter(n -> name.equals(n.getName())).findFirst()
                .map(n -> new NetworkInfo(n.getId(), n.getName(), n.getDriver(), n.getScope(),
                        Boolean.TRUE.equals(n.isAttachable()), n.getLabels() == null ? Map.of() : Map.copyOf(n.getLabels())));
    }

    /**
     * Addresses of this engine's containers on {@code docker_gwbridge}, by container id: the one address of a swarm
     * task that publishes no port which the manager itself can connect to.
     */
    Map<String, String> gatewayBridgeAddresses() {
        try {
            Network n = docker.inspectNetworkCmd().withNetworkId("docker_gwbridge").exec();
            Map<String, String> out = new java.util.HashMap<>();
            Optional.ofNullable(n.getContainers()).orElse(Map.of()).forEach((id, c) -> {
                String ip = c.getIpv4Address();
                if (ip != null && !ip.isEmpty()) {
                    out.put(id, ip.contains("/") ? ip.substring(0, ip.indexOf('/')) : ip);
                }
            });
            return out;
        } catch (NotFoundException e) {
            return Map.of();
        } catch (RuntimeException e) {
            throw DockerErrors.translate(host, "inspect network docker_gwbridge", e);
        }
    }

    /** Creates an attachable overlay network with labels and returns its id. */
    String createOverlay(String name, Map<String, String> labels) {
        return call("create network " + name, () -> docker.createNetworkCmd().withName(name).withDriver("overlay")
                .withAttachable(true).withLabels(labels).withCheckDuplicate(true).exec().getId());
    }

    void remove(String id) {
        call("remove network " + id, () -> {
            docker.removeNetworkCmd(id).exec();
            return null;
        });
    }

    /** What rsc knows of a network. */
    record NetworkInfo(String id, String name, String driver, String scope, boolean attachable, Map<String, String> labels) {
    }

    private <T> T call(String what, Supplier<T> action) {
        return DockerErrors.call(host, what, action);
    }
}

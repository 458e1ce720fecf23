package rsc.backend.swarm;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.ContainerPort;
import rsc.error.RscException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The containers of the engine rsc talks to, through its container API: the one part of the Engine API that still
 * answers on a manager cut off from the swarm's majority, and the only way to act on a container (drills, removal).
 */
final class EngineContainers {

    private final String host;
    private final DockerClient docker;

    EngineContainers(String host, DockerClient docker) {
        this.host = host;
        this.docker = docker;
    }

    /** Ids of the containers (running or not) of a service on this engine. */
    List<String> of(String serviceName) {
        return call("list containers", () -> docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of("com.docker.swarm.service.name", serviceName)).exec())
                .stream().map(Container::getId).toList();
    }

    /** The running containers of rsc's services on this engine, as rsc records. */
    List<LocalTask> managed() {
        List<Container> list = call("list containers", () -> docker.listContainersCmd()
                .withLabelFilter(Map.of(SwarmBackend.MANAGED, "true")).exec());
        List<LocalTask> out = new ArrayList<>();
        for (Container c : list) {
            Map<String, String> labels = c.getLabels() == null ? Map.of() : Map.copyOf(c.getLabels());
            String service = labels.get("com.docker.swarm.service.name");
            if (service == null) {
                continue;
            }
            Map<Integer, Integer> published = new HashMap<>();
            for (ContainerPort p : c.getPorts() == null ? new ContainerPort[0] : c.getPorts()) {
                if (p.getPrivatePort() != null && p.getPublicPort() != null) {
                    published.put(p.getPrivatePort(), p.getPublicPort());
                }
            }
            List<String> addresses = new ArrayList<>();
            if (c.getNetworkSettings() != null && c.getNetworkSettings().getNetworks() != null) {
                for (ContainerNetwork n : c.getNetworkSettings().getNetworks().values()) {
                    if (n.getIpAddress() != null && !n.getIpAddress().isBlank()) {
                        addresses.add(n.getIpAddress());
                    }
                }
            }
            out.add(new LocalTask(c.getId(), service, labels, "paused".equals(Objects.toString(c.getState(), "")),
                    Map.copyOf(published), List.copyOf(addresses)));
        }
        return out;
    }

    void kill(String containerId, String signal) {
        call("send " + signal + " to container " + DockerErrors.shortId(containerId), () -> {
            docker.killContainerCmd(containerId).withSignal(signal).exec();
            return null;
        });
    }

    void pause(String containerId) {
        call("pause container " + DockerErrors.shortId(containerId), () -> {
            docker.pauseContainerCmd(containerId).exec();
            return null;
        });
    }

    void unpause(String containerId) {
        call("unpause container " + DockerErrors.shortId(containerId), () -> {
            docker.unpauseContainerCmd(containerId).exec();
            return null;
        });
    }

    /** Removes a volume of this engine (a persisting node's data, once its container is gone); false when there is none. */
    boolean removeVolume(String name) {
        try {
            docker.removeVolumeCmd(name).exec();
            return true;
        } catch (com.github.dockerjava.api.exception.NotFoundException e) {
            return false;
        } catch (RuntimeException e) {
            throw DockerErrors.translate(host, "remove volume " + name, e);
        }
    }

    private <T> T call(String what, Supplier<T> action) {
        return DockerErrors.call(host, what, action);
    }

    /**
     * A task's container running on this engine, as the engine itself reports it (no swarm manager asked).
     *
     * @param published container port to host port (host mode)
     * @param addresses the container's addresses on its networks (overlay included)
     */
    record LocalTask(String containerId, String service, Map<String, String> labels, boolean paused,
                     Map<Integer, Integer> published, List<String> addresses) {
    }
}

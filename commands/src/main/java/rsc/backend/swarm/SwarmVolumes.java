package rsc.backend.swarm;

import rsc.backend.Progress;
import rsc.error.RscException;
import rsc.model.Persistence;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static rsc.backend.swarm.SwarmBackend.GROUP;
import static rsc.backend.swarm.SwarmBackend.MANAGED;

/**
 * The data volumes of a persisting group: one named volume (local driver) per data node, mounted at {@code /data}.
 * The engine of whichever swarm node runs the task makes it there, so a volume does not follow a task Swarm moves:
 * the task starts empty on its new node and copies its master. Removing them means reaching every swarm node a task
 * of the service ran on: this engine's own directly, a worker's through a one-off task there ({@link SwarmDrills}).
 */
final class SwarmVolumes {

    /** The label every data service carries with its group's persistence ({@code none}, {@code aof}, {@code rdb}). */
    static final String PERSISTENCE = "rsc.persistence";
    /** Where a data node keeps its files (the image's working directory). */
    static final String DATA_DIR = "/data";

    private final SwarmGateway gateway;
    private final SwarmDrills drills;

    SwarmVolumes(SwarmGateway gateway, SwarmDrills drills) {
        this.gateway = gateway;
        this.drills = drills;
    }

    /** The volume of a data node's service: {@code NODE-data}, labelled with its group. */
    static SwarmGateway.VolumeRef ref(String group, String serviceName) {
        return new SwarmGateway.VolumeRef(volumeName(serviceName), DATA_DIR, Map.of(MANAGED, "true", GROUP, group));
    }

    static String volumeName(String serviceName) {
        return serviceName + "-data";
    }

    /** The persistence a group's data services were created with (their label); NONE when none says. */
    Persistence persistence(String group) {
        return gateway.services(Map.of(MANAGED, "true", GROUP, group)).stream()
                .map(s -> s.label(PERSISTENCE)).filter(java.util.Objects::nonNull)
                .map(Persistence::of).flatMap(java.util.Optional::stream).findFirst().orElse(Persistence.NONE);
    }

    /**
     * The volumes of these services and the swarm nodes their tasks ran on (Swarm keeps a few ended tasks per
     * service): read before the services are removed, which takes their task history with them.
     */
    Map<String, Set<String>> placed(List<SwarmService> services) {
        List<SwarmService> persisting = services.stream()
                .filter(s -> Persistence.of(s.label(PERSISTENCE)).map(Persistence::persists).orElse(false)).toList();
        Map<String, Set<String>> out = new LinkedHashMap<>();
        if (persisting.isEmpty()) {
            return out;
        }
        Map<String, String> names = persisting.stream().collect(Collectors.toMap(SwarmService::id, SwarmService::name));
        for (SwarmTask t : gateway.tasks(List.copyOf(names.values()), names)) {
            if (!t.nodeId().isEmpty() && names.containsKey(t.serviceId())) {
                out.computeIfAbsent(volumeName(names.get(t.serviceId())), k -> new TreeSet<>()).add(t.nodeId());
            }
        }
        return out;
    }

    /**
     * Removes each volume on each swarm node it may be on, once the services are gone. Returns one line per volume it
     * could not remove (a swarm node that is down, a drill that failed), saying where and how to remove it by hand.
     */
    List<String> remove(Map<String, Set<String>> placed, Progress progress) {
        List<String> left = new ArrayList<>();
        List<SwarmNodeInfo> swarm = placed.isEmpty() ? List.of() : gateway.swarmNodes();
        for (Map.Entry<String, Set<String>> e : placed.entrySet()) {
            for (String nodeId : e.getValue()) {
                String where = swarm.stream().filter(n -> n.id().equals(nodeId)).findFirst()
                        .map(n -> n.host().label()).orElse(DockerErrors.shortId(nodeId));
                progress.update("removing volume " + e.getKey() + " on swarm node " + where);
                try {
                    removeOne(nodeId, e.getKey(), swarm);
                } catch (RscException x) {
                    if (x instanceof rsc.error.CancelledException) {
                        throw x;   // Ctrl-C: the services are gone; the volumes are what a second destroy cannot find
                    }
                    left.add("volume " + e.getKey() + " is left on swarm node " + where + " (" + x.getMessage()
                            + "): remove it there with 'docker volume rm " + e.getKey() + "'");
                }
            }
        }
        return left;
    }

    /** A volume still used by a container that is going away is retried for a few seconds. */
    private void removeOne(String nodeId, String volume, List<SwarmNodeInfo> swarm) {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (true) {
            try {
                drills.removeVolume(nodeId, volume, swarm);
                return;
            } catch (RscException e) {
                if (e.getMessage().contains("no such volume")) {
                    return;   // the task never started there, or the volume is gone already
                }
                if (e instanceof rsc.error.CancelledException || System.nanoTime() > deadline || !e.getMessage().contains("in use")) {
                    throw e;
                }
                SwarmBackend.sleep(1000);
            }
        }
    }

    /** The calls {@link #remove} would make, for {@code --dry-run}. */
    List<String> plan(Map<String, Set<String>> placed) {
        List<String> calls = new ArrayList<>();
        placed.forEach((volume, nodes) -> nodes.forEach(n -> calls.add(drills.planRemoveVolume(n, volume))));
        return calls;
    }
}

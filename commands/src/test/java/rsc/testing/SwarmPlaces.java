package rsc.testing;

import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Where a group's services run on the swarm, read with the docker CLI: a rolling restart (upgrade, password rotation)
 * must leave every node on the swarm node it ran on, and no service pinned. Swarm on its own places an updated
 * service's new task anywhere, which could put two copies of the data on one machine.
 */
public final class SwarmPlaces {

    private SwarmPlaces() {
    }

    /** Service name to the id of the swarm node its running task is on, for the group's services. */
    public static Map<String, String> of(String group) {
        Map<String, String> out = new TreeMap<>();
        for (String service : DockerCli.run("service", "ls", "--filter", "label=rsc.group=" + group, "--format", "{{.Name}}")) {
            for (String id : DockerCli.run("service", "ps", "-q", "--no-trunc", "--filter", "desired-state=running", service)) {
                String[] f = DockerCli.run("inspect", "--format", "{{.NodeID}} {{.Status.State}}", id).get(0).split(" ");
                if (f[1].equals("running")) {
                    out.put(service, f[0]);
                }
            }
            if (!out.containsKey(service)) {
                out.put(service, "not running: " + DockerCli.run("service", "ps", service, "--filter", "desired-state=running",
                        "--format", "{{.Node}} {{.CurrentState}}", "--no-trunc"));
            }
        }
        return out;
    }

    /** Every service on the swarm node it was on before, and none left with a placement constraint. */
    public static void assertKept(String group, Map<String, String> before) {
        assertEquals(before, of(group), "every node stays on its swarm node");
        for (String service : before.keySet()) {
            assertEquals("[]", String.join("", DockerCli.run("service", "inspect", service, "--format",
                    "{{.Spec.TaskTemplate.Placement.Constraints}}")).replace("<no value>", "[]"), service + " is left pinned");
        }
    }
}

package rsc.backend.swarm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import rsc.backend.Backends;
import rsc.backend.GroupsAndNodes;
import rsc.backend.Settings;
import rsc.catalog.Catalog;
import rsc.model.Node;
import rsc.ops.GroupHealth;
import rsc.session.Engine;
import rsc.testing.RecordingInteraction;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code sentinel status} of every group on Swarm needs the groups and every group's nodes: it read the services
 * listing twice for them (the node script makes it about 150 KB on the test bed, ~20 ms of a one-shot). One reading
 * answers both now, and answers them as {@code groups()} and {@code nodes(null)} do, against a stub of the Engine API.
 */
class GroupsAndNodesUnitTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StubEngine server;
    private final List<String> asked = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Services of groups g (a master and a sentinel) and h (a master), and k, labelled with a group only. */
    private static String services(boolean withUnkinded) {
        ArrayNode a = JSON.createArrayNode();
        a.add(service("s1", "g-redis-1", "g", "redis", "1"));
        a.add(service("s2", "g-sentinel-1", "g", "sentinel", "1"));
        a.add(service("s3", "h-redis-1", "h", "redis", "1"));
        if (withUnkinded) {
            a.add(service("s4", "k-other", "k", null, null));
        }
        return a.toString();
    }

    private static ObjectNode service(String id, String name, String group, String kind, String index) {
        ObjectNode s = JSON.createObjectNode().put("ID", id);
        ObjectNode spec = s.putObject("Spec").put("Name", name);
        ObjectNode labels = spec.putObject("Labels").put(SwarmBackend.MANAGED, "true").put(SwarmBackend.GROUP, group);
        if (kind != null) {
            labels.put(SwarmBackend.KIND, kind).put(SwarmBackend.INDEX, index);
        }
        spec.putObject("TaskTemplate").putObject("ContainerSpec").put("Image", "rsc-redis:local");
        return s;
    }

    private Settings settings(boolean withUnkinded) throws IOException {
        server = StubEngine.manager(asked, true, new StubEngine.Reply(200, services(withUnkinded)),
                q -> new StubEngine.Reply(200, "[]"), "[]");
        Path state = Files.createTempDirectory("rsc-groups-and-nodes-");
        state.toFile().deleteOnExit();
        return new Settings("swarm", state, "mymaster", "rsc-redis:local", "rsc-net", Optional.of(server.host()));
    }

    private long servicesAsked() {
        return asked.stream().filter(a -> a.contains("/services")).count();
    }

    @Test
    void sentinelStatusOfEveryGroupListsTheServicesOnce() throws IOException {
        Settings s = settings(false);
        try (Engine engine = new Engine(s, new RecordingInteraction(), Catalog.table(), Backends.factory(), GroupHealth::probe)) {
            engine.session().console().oneShot(true);
            asked.clear();
            engine.execute("sentinel status");   // no task runs: what it prints is not this test's
            assertEquals(1, servicesAsked(), "services asked: " + asked);
        }
    }

    @Test
    void oneReadingAnswersAsGroupsAndNodesDo() throws IOException {
        try (SwarmBackend b = new SwarmBackend(settings(true))) {
            asked.clear();
            GroupsAndNodes both = b.groupsAndNodes();
            assertEquals(1, servicesAsked(), "services asked: " + asked);
            assertEquals(List.of("g", "h", "k"), both.groups(), "a group labelled on a service of no kind counts, as in groups()");
            assertEquals(b.groups(), both.groups());
            assertEquals(shown(b.nodes(null)), shown(both.nodes()));
            assertEquals(List.of("g-redis-1", "g-sentinel-1", "h-redis-1"), both.nodes().stream().map(Node::name).sorted().toList());
        }
    }

    private static List<String> shown(List<Node> nodes) {
        return nodes.stream().map(n -> n.name() + " " + n.group() + " " + n.state() + " " + n.reach() + " " + n.detail()).toList();
    }
}

package rsc.backend;

import org.junit.jupiter.api.Test;
import rsc.backend.attached.AttachedRegistry;
import rsc.backend.attached.AttachingBackend;
import rsc.backend.swarm.SwarmInspection;
import rsc.model.Endpoint;
import rsc.model.Finding;
import rsc.model.Node;
import rsc.model.NodeKind;
import rsc.model.NodeState;
import rsc.session.Outcome;
import rsc.testing.LocalTestBed;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What only some backends can do is a capability asked for by type: the local backend has none of Swarm's, each
 * command that needs one says so on one line, and attaching groups neither hides nor adds a capability.
 */
class BackendCapabilitiesUnitTests {

    @Test
    void theLocalBackendHasNoSwarmCapabilityAndEachCommandSaysWhatItNeeds() throws Exception {
        try (LocalTestBed bed = new LocalTestBed()) {
            Backend b = bed.engine().session().backend();
            assertTrue(b.capability(Machines.class).isEmpty());
            assertTrue(b.capability(Recipes.class).isEmpty());
            assertTrue(b.capability(SwarmInspection.class).isEmpty());
            assertTrue(b.capability(Restarting.class).isPresent(), "'start' restarts local nodes");
            for (String[] c : List.of(
                    new String[]{"services", "'services' needs the swarm backend"},
                    new String[]{"ps", "'ps' needs the swarm backend"},
                    new String[]{"nodes", "'nodes' needs the swarm backend"},
                    new String[]{"logs x", "'logs' needs the swarm backend"},
                    new String[]{"drain 10.0.0.1", "drain and activate act on swarm nodes"},
                    new String[]{"attach g --services a,b,c", "attach --services adopts services of a Docker Swarm"})) {
                Outcome o = bed.fails(c[0]);
                String message = o.error().getMessage();
                assertTrue(message.startsWith(c[1]), c[0] + ": " + message);
                assertFalse(message.contains("\n"), "one line: " + message);
            }
        }
    }

    /** A placing backend with the recipe capability, as Swarm's is: group p's master is its node, a recipe's its own. */
    private static final class WithRecipes implements Backend, Recipes {
        @Override public String name() { return "stub"; }
        @Override public String describe() { return "stub"; }
        @Override public List<Node> nodes(String group) { return group == null || group.equals("p") ? List.of(node("p")) : List.of(); }
        @Override public List<String> groups() { return List.of("p"); }
        @Override public Node start(NodeSpec spec, Progress progress) { throw new UnsupportedOperationException(); }
        @Override public void remove(Node node) { }
        @Override public void signal(Node node, Signal signal) { }
        @Override public List<String> destroy(String group, Progress progress) { return List.of(); }
        @Override public Endpoint reachable(Endpoint announced) { return announced; }
        @Override public List<Node> recipeNodes(String group, RecipeServices services) { return List.of(node(group)); }
        @Override public List<Finding> recipeFindings(RecipeServices services) { return List.of(); }
    }

    private static Node node(String group) {
        Endpoint e = new Endpoint(group + "-redis-1", 6379);
        return new Node(group + "-redis-1", group, NodeKind.REDIS, 1, e, e, NodeState.RUNNING, "");
    }

    /** sentinel status of every group reads groups and nodes at once: the attached groups are in it as in each alone. */
    @Test
    void oneReadingOfGroupsAndNodesHoldsTheAttachedGroups() throws Exception {
        Path dir = Files.createTempDirectory("rsc-capabilities");
        try {
            AttachedRegistry registry = new AttachedRegistry(dir);
            registry.save(new rsc.backend.attached.AttachedGroup("a", List.of(new Endpoint("10.0.0.9", 26379)),
                    java.util.Optional.of(new RecipeServices("a-m", "a-r", "a-s"))));
            AttachingBackend b = new AttachingBackend(new WithRecipes(), registry, () -> null, (e, g) -> { });
            GroupsAndNodes both = b.groupsAndNodes();
            assertEquals(List.of("a", "p"), both.groups());
            assertEquals(b.groups(), both.groups());
            assertEquals(b.nodes(null), both.nodes());
            assertEquals(List.of("p-redis-1", "a-redis-1"), both.nodes().stream().map(Node::name).toList());
        } finally {
            try (var all = Files.walk(dir)) {
                all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void attachingGroupsKeepsThePlacingBackendsCapabilities() throws Exception {
        Path dir = Files.createTempDirectory("rsc-capabilities");
        try {
            WithRecipes placed = new WithRecipes();
            AttachingBackend b = new AttachingBackend(placed, new AttachedRegistry(dir), () -> null, (e, g) -> { });
            assertSame(placed, b.capability(Recipes.class).orElseThrow());
            assertTrue(b.capability(Machines.class).isEmpty());
            assertEquals(placed, b.capability(Backend.class).orElseThrow(), "the placing backend, not the wrapper");
        } finally {
            try (var all = Files.walk(dir)) {
                all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}

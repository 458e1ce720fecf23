package rsc.backend.swarm;

import org.junit.jupiter.api.Test;
import rsc.backend.NodeSpec;
import rsc.backend.SentinelSettings;
import rsc.model.Endpoint;
import rsc.model.Secret;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Swarm {@code --dry-run} plans: the Engine API calls a start and a removal make, built without an engine. */
class StartPlanUnitTests {

    private static final String PASSWORD = "Plan-Test-Password-7781";
    private static final SwarmNodeInfo WORKER = new SwarmNodeInfo("w0rk3rn0d31d", "worker-1", "worker", "active", "ready",
            "10.0.0.12", false, "", Map.of());

    private static String text(List<String> lines) {
        return String.join("\n", lines);
    }

    @Test
    void aGroupsFirstNodeShowsTheNetworkTheSecretAndTheServiceButNeverThePassword() {
        NodeSpec spec = NodeSpec.master("g", Optional.empty(), List.of(List.of("maxmemory", "100mb")))
                .withPassword(Optional.of(new Secret(PASSWORD)));
        ServiceStarter.Draft d = ServiceStarter.draft(spec, 1);
        List<String> plan = StartPlan.lines(spec, d, new StartPlan.Facts("redis:7-alpine", true, "rsc-net", true,
                Optional.of("0ld53cr371d0000000"), Optional.of(WORKER)));
        String t = text(plan);
        assertEquals("POST /networks/create overlay rsc-net attachable   # missing now; labelled rsc.managed, rsc.created",
                plan.get(0));
        assertTrue(t.contains("DELETE /secrets/0ld53cr371d0   # the rsc-g-password an earlier group of this name left"), t);
        assertTrue(t.contains("POST /secrets/create rsc-g-password <secret>"), t);
        assertTrue(plan.contains("POST /services/create g-redis-1:"), t);
        assertTrue(plan.contains("    command sh -c <rsc's data-node script> rsc-node --maxmemory 100mb"), t);
        assertTrue(plan.contains("    --endpoint-mode dnsrr, publish mode=host target=6379 published=P (P: the first port of 30000-32767 that no service of the swarm publishes)"), t);
        assertTrue(plan.contains("    secret rsc-g-password at /run/secrets/rsc-password 0400"), t);
        assertTrue(t.contains("RSC_ROLE=master") && t.contains("alias g-redis") && t.contains("restart condition any"), t);
        assertTrue(t.contains("placement node.id==w0rk3rn0d31d (swarm node w0rk3rn0d31d (10.0.0.12"), t);
        assertTrue(t.contains("GET /tasks until g-redis-1's task runs with a published port; PING at NODE_ADDRESS:PORT; "
                + "timeout 60 s"), t);
        assertFalse(t.contains(PASSWORD), "the plan must never show the password");
    }

    @Test
    void aLaterNodeMountsTheGroupsSecretWithoutMakingItAndNamesItsMaster() {
        NodeSpec spec = NodeSpec.sentinel("g", new Endpoint("g-redis-1", 6379), Optional.empty(), new SentinelSettings(2, 5000, 60000))
                .withPassword(Optional.of(new Secret(PASSWORD)));
        List<String> plan = StartPlan.lines(spec, ServiceStarter.draft(spec, 3), new StartPlan.Facts("redis:7-alpine", true,
                "rsc-net", false, Optional.empty(), Optional.empty()));
        String t = text(plan);
        assertTrue(plan.contains("POST /services/create g-sentinel-3:"), t);
        assertTrue(t.contains("sh -c <rsc's sentinel-node script> rsc-node"), t);
        assertTrue(t.contains("RSC_MASTER=g-redis-1:6379") && t.contains("alias g-sentinels"), t);
        assertTrue(t.contains("publish mode=host target=26379"), t);
        assertTrue(t.contains("secret rsc-g-password at /run/secrets/rsc-password 0400"), t);
        assertFalse(t.contains("/networks/create") || t.contains("/secrets/create") || t.contains("placement"), t);
        assertFalse(t.contains(PASSWORD));
    }

    @Test
    void aMissingImageIsSaidInThePlan() {
        NodeSpec spec = NodeSpec.master("g", Optional.empty(), List.of());
        String t = text(StartPlan.lines(spec, ServiceStarter.draft(spec, 1), new StartPlan.Facts("nope:1", false, "rsc-net",
                false, Optional.empty(), Optional.empty())));
        assertTrue(t.startsWith("(image nope:1 is not on this node"), t);
        assertFalse(t.contains("secret"), "no password, no secret: " + t);
    }

    @Test
    void aRemovalDeletesTheServicesThenWaitsForTheirContainers() {
        assertEquals(List.of("DELETE /services/g-redis-2", "DELETE /services/g-sentinel-1",
                "GET /tasks and /containers until the containers of g-redis-2, g-sentinel-1 are gone on every swarm node; "
                        + "timeout 30 s"), ServiceRemoval.removalLines(List.of("g-redis-2", "g-sentinel-1")));
    }
}

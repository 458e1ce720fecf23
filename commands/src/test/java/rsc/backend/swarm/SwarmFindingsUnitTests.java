package rsc.backend.swarm;

import org.junit.jupiter.api.Test;
import rsc.model.Finding;
import rsc.model.NodeKind;
import rsc.result.Severity;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code doctor}'s Swarm checks on services and tasks as the gateway reads them. No engine needed. */
class SwarmFindingsUnitTests {

    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    private static ServiceShape rscNode(String name, NodeKind kind) {
        return new ServiceShape("id-" + name, name, Map.of("rsc.managed", "true", "rsc.group", "g",
                "rsc.kind", kind.word(), "rsc.index", "1"), "rsc-redis:local", "dnsrr",
                Map.of(kind.standardPort() + "/tcp", "host"), "any", NodeScripts.command(kind, List.of()));
    }

    private static ServiceShape plain(String name, String endpointMode, Map<String, String> ports,
                                                   String restart, List<String> command) {
        return new ServiceShape("id-" + name, name, Map.of("rsc.group", "g"), "redis:7-alpine", endpointMode,
                ports, restart, command);
    }

    private static SwarmTask task(String service, String id, String state, String desired, String error, Instant at) {
        return new SwarmTask(id + "0123456789abcdef", "id-" + service, service, 1, "node", state, desired, "", error,
                "", List.of(), List.of(), at.toString());
    }

    private static List<String> checks(List<Finding> findings) {
        return findings.stream().map(f -> f.severity() + " " + f.check()).toList();
    }

    @Test
    void rscOwnNodesHaveNoFindings() {
        List<Finding> f = ServiceFindings.findingsOf(List.of(rscNode("g-redis-1", NodeKind.REDIS),
                rscNode("g-sentinel-1", NodeKind.SENTINEL)), List.of(
                task("g-redis-1", "a", "running", "running", "", NOW.minusSeconds(60)),
                task("g-sentinel-1", "b", "running", "running", "", NOW.minusSeconds(60)),
                task("g-redis-1", "c", "shutdown", "shutdown", "", NOW.minusSeconds(70))), NOW);
        assertEquals(List.of(), f);
        assertTrue(ServiceFindings.runsRscEntrypoint(rscNode("g-redis-1", NodeKind.REDIS)));
    }

    @Test
    void aFailedTaskIsAWarningWhileAnotherRunsAndAnErrorWhenNoneDoes() {
        ServiceShape r = rscNode("g-redis-1", NodeKind.REDIS);
        List<Finding> restarted = ServiceFindings.findingsOf(List.of(r), List.of(
                task("g-redis-1", "new", "running", "running", "", NOW.minusSeconds(20)),
                task("g-redis-1", "old", "failed", "shutdown", "task: non-zero exit (137)", NOW.minusSeconds(30))), NOW);
        assertEquals(List.of("WARN task-failed"), checks(restarted));
        String what = restarted.get(0).what();
        assertTrue(what.contains("task: non-zero exit (137)") && what.contains("30 s ago") && what.contains("old012345678"), what);
        assertEquals("logs g-redis-1 --tail 50, and ps g-redis-1", restarted.get(0).fix());

        List<Finding> down = ServiceFindings.findingsOf(List.of(r), List.of(
                task("g-redis-1", "t1", "rejected", "shutdown", "No such image: nope:1", NOW.minusSeconds(5)),
                task("g-redis-1", "t2", "rejected", "shutdown", "No such image: nope:1", NOW.minusSeconds(15)),
                task("g-redis-1", "t3", "pending", "running", "", NOW.minusSeconds(1))), NOW);
        assertEquals(List.of("ERROR task-failed"), checks(down));
        assertTrue(down.get(0).what().contains("2 task(s) rejected") && down.get(0).what().contains("No such image: nope:1")
                && down.get(0).what().contains("no task of it runs now"), down.get(0).what());

        List<Finding> old = ServiceFindings.findingsOf(List.of(r), List.of(
                task("g-redis-1", "new", "running", "running", "", NOW.minusSeconds(3600)),
                task("g-redis-1", "old", "failed", "shutdown", "task: non-zero exit (1)", NOW.minusSeconds(3600))), NOW);
        assertEquals(List.of(), old, "failures older than " + ServiceFindings.RECENT_FAILURES + " are history");
    }

    @Test
    void vipModeIngressPortsAndAPlainRestartingRedisAreReported() {
        ServiceShape recipe = plain("redis", "vip", Map.of("6379/tcp", "ingress"), "any",
                List.of("redis-server", "--port", "6379"));
        List<Finding> f = ServiceFindings.findingsOf(List.of(recipe), List.of(), NOW);
        assertEquals(List.of("ERROR vip-endpoint", "WARN ingress-port", "ERROR restart-empty"), checks(f));
        assertTrue(f.get(0).fix().contains("--endpoint-mode dnsrr"), f.get(0).fix());
        assertTrue(f.get(1).fix().contains("--publish-rm 6379 --publish-add mode=host,target=6379 redis"), f.get(1).fix());
        assertTrue(f.get(2).what().contains("'redis-server --port 6379' with restart condition any"), f.get(2).what());

        // the image's default command of a redis image, restarted on failure, is the same hazard
        List<Finding> dflt = ServiceFindings.findingsOf(List.of(plain("r", "dnsrr", Map.of(), "on-failure", List.of())),
                List.of(), NOW);
        assertEquals(List.of("ERROR restart-empty"), checks(dflt));
        assertTrue(dflt.get(0).what().contains("the default command of redis:7-alpine"), dflt.get(0).what());

        // not restarted, or not a data node: no restart hazard
        assertEquals(List.of(), ServiceFindings.findingsOf(List.of(plain("r", "dnsrr", Map.of(), "none",
                List.of("redis-server"))), List.of(), NOW));
        assertEquals(List.of(), ServiceFindings.findingsOf(List.of(plain("s", "dnsrr", Map.of("26379/tcp", "host"), "any",
                List.of("redis-server", "/etc/sentinel.conf", "--sentinel"))), List.of(), NOW));
        assertEquals(List.of(), ServiceFindings.findingsOf(List.of(plain("app", "dnsrr", Map.of(), "any",
                List.of("python", "app.py"))), List.of(), NOW));
    }

    @Test
    void findingsComeSortedByServiceAndHaveSeverities() {
        List<Finding> f = ServiceFindings.findingsOf(List.of(
                plain("zz", "vip", Map.of(), "none", List.of("sleep", "1d")),
                plain("aa", "vip", Map.of(), "none", List.of("sleep", "1d"))), List.of(), NOW);
        assertEquals(List.of("aa", "zz"), f.stream().map(x -> x.what().split(" ")[0]).toList());
        assertTrue(f.stream().allMatch(x -> x.severity() == Severity.ERROR));
    }

    @Test
    void replicasThatFollowTheMasterServicesNameAreReported() {
        ServiceShape slaves = plain("redis-slave", "dnsrr", Map.of(), "none",
                List.of("redis-server", "--slaveof", "redis", "6379"));
        List<Finding> f = ServiceFindings.findingsOf(List.of(slaves), List.of(), NOW);
        assertEquals(List.of("ERROR follows-name"), checks(f));
        assertTrue(f.get(0).what().contains("replicas of the name 'redis'"), f.get(0).what());

        // in a shell line, or with replicaof: the same; an IP address, or "no one", is not a name
        assertEquals(java.util.Optional.of("redis-master"), ServiceFindings.followedName(
                List.of("sh", "-c", "exec redis-server --replicaof \"redis-master\" 6379 --appendonly yes")));
        assertEquals(java.util.Optional.empty(), ServiceFindings.followedName(List.of("redis-server", "--slaveof", "10.0.1.5", "6379")));
        assertEquals(java.util.Optional.empty(), ServiceFindings.followedName(List.of("redis-server", "--replicaof", "no", "one")));
        // rsc's own nodes ask the sentinels: never reported
        assertEquals(List.of(), ServiceFindings.findingsOf(List.of(rscNode("g-redis-2", NodeKind.REDIS)), List.of(), NOW));
    }

    @Test
    void servicesAreTypedAsThreeNames() {
        rsc.backend.RecipeServices r = rsc.backend.RecipeServices.parse("redis, redis-slave ,redis-sentinel");
        assertEquals(List.of("redis", "redis-slave", "redis-sentinel"), r.all());
        for (String bad : List.of("redis,redis-slave", "redis,,x", "a,a,b", "redis,redis-slave,redis sentinel;rm")) {
            rsc.error.UsageException e = org.junit.jupiter.api.Assertions.assertThrows(rsc.error.UsageException.class,
                    () -> rsc.backend.RecipeServices.parse(bad), bad);
            assertTrue(e.getMessage().contains("service") || e.getMessage().contains("--services"), e.getMessage());
        }
    }
}

package rsc.backend.swarm;

import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.core.RemoteApiVersion;
import org.junit.jupiter.api.Test;
import rsc.error.RscException;
import rsc.model.NodeKind;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The swarm backend's pure parts: API negotiation, node arguments, error text, ids. No engine needed. */
class SwarmBackendUnitTests {

    @Test
    void usesTheEnginesApiCappedAtTheNewestDockerJavaKnows() {
        assertEquals("1.41", EngineHttp.chooseApi("1.41").getVersion());
        assertEquals(RemoteApiVersion.VERSION_1_44, EngineHttp.chooseApi("1.44"));
        assertEquals(RemoteApiVersion.VERSION_1_44, EngineHttp.chooseApi("1.52"));
        assertThrows(RscException.class, () -> EngineHttp.chooseApi("1.12"));
    }

    @Test
    void configDirectivesBecomeSeparateArguments() {
        assertEquals(List.of("--min-replicas-to-write", "1", "--save", ""),
                NodeScripts.arguments(List.of(List.of("min-replicas-to-write", "1"), List.of("save", ""))));
        List<String> cmd = NodeScripts.command(NodeKind.REDIS, List.of(List.of("maxmemory", "100mb")));
        assertEquals(List.of("sh", "-c"), cmd.subList(0, 2));
        assertTrue(cmd.get(2).contains("SENTINEL get-master-addr-by-name"));
        assertEquals(List.of("rsc-node", "--maxmemory", "100mb"), cmd.subList(3, cmd.size()));
    }

    @Test
    void refusesDirectivesThatCouldInjectOrOverrideWhatTheBackendOwns() {
        assertThrows(RscException.class, () -> NodeScripts.arguments(List.of(List.of("maxmemory", "1mb\nslaveof x 1"))));
        assertThrows(RscException.class, () -> NodeScripts.arguments(List.of(List.of("replicaof", "x", "1"))));
        assertThrows(RscException.class, () -> NodeScripts.arguments(List.of(List.of("port", "1"))));
        assertThrows(RscException.class, () -> NodeScripts.arguments(List.of(List.of("bad name", "1"))));
        assertThrows(RscException.class, () -> NodeScripts.arguments(List.of(List.of("maxmemory", "--port"))));
    }

    @Test
    void sentinelIdsAreStableFortyHexDigitsPerNode() {
        String a = ServiceStarter.sentinelId("g", "g-sentinel-1");
        assertEquals(a, ServiceStarter.sentinelId("g", "g-sentinel-1"));
        assertTrue(a.matches("[0-9a-f]{40}"));
        assertTrue(!a.equals(ServiceStarter.sentinelId("g", "g-sentinel-2")));
    }

    @Test
    void dockerErrorsKeepOnlyTheEnginesMessage() {
        ConflictException e = new ConflictException("Status 409: {\"message\":\"rpc error: name conflicts with an existing object\"}\n");
        assertEquals("rpc error: name conflicts with an existing object", DockerErrors.dockerMessage(e));
    }

    @Test
    void aMissingEngineIsOneLineAndQuick() {
        long t0 = System.nanoTime();
        RscException e = assertThrows(RscException.class,
                () -> SwarmGateway.open(java.util.Optional.of("unix:///nonexistent/docker.sock")));
        assertTrue(e.getMessage().startsWith("cannot reach the Docker Engine at unix:///nonexistent/docker.sock: "),
                e.getMessage());
        assertTrue(!e.getMessage().contains("\n"));
        assertTrue(!EngineHttp.probe(java.util.Optional.of("unix:///nonexistent/docker.sock"),
                java.time.Duration.ofMillis(1200)));
        assertTrue(System.nanoTime() - t0 < 3_000_000_000L);
    }
}

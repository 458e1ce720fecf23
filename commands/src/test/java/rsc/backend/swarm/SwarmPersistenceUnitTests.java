package rsc.backend.swarm;

import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.ServiceSpec;
import org.junit.jupiter.api.Test;
import rsc.backend.NodeSpec;
import rsc.backend.SentinelSettings;
import rsc.model.Endpoint;
import rsc.model.Persistence;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A persisting group's services, built without an engine: label, environment, volume mount and the dry-run lines. */
class SwarmPersistenceUnitTests {

    private static StartPlan.Facts facts() {
        return new StartPlan.Facts("rsc-redis:local", true, "rsc-net", false, Optional.empty(), Optional.empty());
    }

    @Test
    void anAofDataNodeCarriesTheChoiceAndMountsAVolumeOfItsOwnAtTheDataDirectory() {
        NodeSpec spec = NodeSpec.replica("g", new Endpoint("g-redis-1", 6379), Optional.empty(), List.of())
                .withPersistence(Persistence.AOF);
        ServiceStarter.Draft d = ServiceStarter.draft(spec, 2);
        assertEquals("aof", d.labels().get(SwarmVolumes.PERSISTENCE));
        assertTrue(d.env().contains("RSC_PERSISTENCE=aof"), d.env().toString());
        SwarmGateway.VolumeRef v = d.volume().orElseThrow();
        assertEquals("g-redis-2-data", v.name());
        assertEquals("/data", v.target());
        assertEquals("g", v.labels().get(SwarmBackend.GROUP));
        String plan = String.join("\n", StartPlan.lines(spec, d, facts()));
        assertTrue(plan.contains("mount volume g-redis-2-data at /data (local driver"), plan);

        ServiceSpec s = EngineModels.serviceSpec(new SwarmGateway.ServiceRequest(d.name(), "rsc-redis:local", List.of("sh"),
                d.env(), d.labels(), "net", d.aliases(), d.port(), 30001, Optional.empty(), List.of(), d.volume()));
        List<Mount> mounts = s.getTaskTemplate().getContainerSpec().getMounts();
        assertEquals(1, mounts.size());
        assertEquals(MountType.VOLUME, mounts.get(0).getType());
        assertEquals("g-redis-2-data", mounts.get(0).getSource());
        assertEquals("/data", mounts.get(0).getTarget());
        assertEquals("local", mounts.get(0).getVolumeOptions().getDriverConfig().getName());
        assertEquals(Map.of(SwarmBackend.MANAGED, "true", SwarmBackend.GROUP, "g"), mounts.get(0).getVolumeOptions().getLabels());
    }

    @Test
    void withoutPersistenceThereIsNoVolumeAndTheLabelSaysNone() {
        NodeSpec spec = NodeSpec.master("g", Optional.empty(), List.of());
        ServiceStarter.Draft d = ServiceStarter.draft(spec, 1);
        assertEquals("none", d.labels().get(SwarmVolumes.PERSISTENCE));
        assertTrue(d.env().contains("RSC_PERSISTENCE=none"), d.env().toString());
        assertTrue(d.volume().isEmpty());
        assertFalse(String.join("\n", StartPlan.lines(spec, d, facts())).contains("mount volume"));
        ServiceSpec s = EngineModels.serviceSpec(new SwarmGateway.ServiceRequest(d.name(), "i", List.of("sh"), d.env(),
                d.labels(), "net", d.aliases(), d.port(), 30001, Optional.empty(), List.of(), d.volume()));
        assertTrue(Optional.ofNullable(s.getTaskTemplate().getContainerSpec().getMounts()).orElse(List.of()).isEmpty());
    }

    @Test
    void sentinelsHaveNeitherVolumeNorPersistence() {
        NodeSpec spec = NodeSpec.sentinel("g", new Endpoint("g-redis-1", 6379), Optional.empty(),
                new SentinelSettings(2, 5000, 60000));
        ServiceStarter.Draft d = ServiceStarter.draft(spec, 1);
        assertFalse(d.labels().containsKey(SwarmVolumes.PERSISTENCE));
        assertTrue(d.volume().isEmpty());
        assertTrue(d.env().stream().noneMatch(e -> e.startsWith("RSC_PERSISTENCE")));
    }

    @Test
    void theDataNodeScriptSpellsOutEveryPersistenceSettingAndRefusesAnUnknownChoice() {
        String script = NodeScripts.redis();
        assertTrue(script.contains("aof) echo \"dir /data\"; echo \"appendonly yes\"; echo \"appendfsync everysec\""), script);
        assertTrue(script.contains("RSC_PERSISTENCE must be none, aof or rdb"));
        assertFalse(script.contains("--appendonly no"), "the command line no longer overrides the node's persistence");
    }
}

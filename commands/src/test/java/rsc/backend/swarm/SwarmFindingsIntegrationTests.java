package rsc.backend.swarm;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.EndpointResolutionMode;
import com.github.dockerjava.api.model.EndpointSpec;
import com.github.dockerjava.api.model.PortConfig;
import com.github.dockerjava.api.model.PortConfigProtocol;
import com.github.dockerjava.api.model.ServiceModeConfig;
import com.github.dockerjava.api.model.ServiceReplicatedModeOptions;
import com.github.dockerjava.api.model.ServiceRestartCondition;
import com.github.dockerjava.api.model.ServiceRestartPolicy;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.TaskSpec;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import rsc.backend.NodeSpec;
import rsc.model.Finding;
import rsc.model.Node;
import rsc.result.Severity;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code SwarmBackend.findings} against the real swarm: plain services labelled with a group, created directly through
 * the Docker API (not through rsc), next to an rsc node that must have no finding.
 */
@Tag("swarm")
class SwarmFindingsIntegrationTests {

    private static SwarmBed bed;
    private static DockerClient docker;
    private static ZerodepDockerHttpClient http;
    private final List<String> services = new ArrayList<>();
    private final List<String> groups = new ArrayList<>();

    @BeforeAll
    static void open() {
        bed = SwarmBed.open();
        String host = bed.settings.dockerHost().orElse(SwarmGateway.DEFAULT_HOST);
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host)
                .withApiVersion(bed.backend.engine().api()).build();
        http = new ZerodepDockerHttpClient.Builder().dockerHost(URI.create(host)).sslConfig(config.getSSLConfig())
                .connectionTimeout(Duration.ofSeconds(3)).responseTimeout(Duration.ofSeconds(30)).build();
        docker = DockerClientImpl.getInstance(config, http);
    }

    @AfterAll
    static void close() throws IOException {
        if (http != null) {
            http.close();
        }
        if (bed != null) {
            bed.close();
        }
    }

    @AfterEach
    void cleanUp() {
        for (String s : services) {
            try {
                docker.removeServiceCmd(s).exec();
            } catch (RuntimeException e) {
                System.err.println("cleanup of service " + s + " failed: " + e.getMessage());
            }
        }
        groups.forEach(bed::destroyQuietly);
    }

    /** A plain service (no rsc.managed label) of the group, made as the well-known recipe makes it. */
    private String plainService(String name, String group, EndpointSpec endpoint, ServiceRestartCondition restart,
                                List<String> command) {
        ServiceSpec spec = new ServiceSpec().withName(name).withLabels(Map.of("rsc.group", group))
                .withTaskTemplate(new TaskSpec()
                        .withContainerSpec(new ContainerSpec().withImage(bed.settings.image()).withCommand(command))
                        .withRestartPolicy(new ServiceRestartPolicy().withCondition(restart)))
                .withMode(new ServiceModeConfig().withReplicated(new ServiceReplicatedModeOptions().withReplicas(1)))
                .withEndpointSpec(endpoint);
        docker.createServiceCmd(spec).exec();
        services.add(name);
        return name;
    }

    private static List<Finding> about(List<Finding> findings, String service) {
        return findings.stream().filter(f -> f.what().startsWith(service + " ") || f.what().startsWith(service + ":")).toList();
    }

    @Test
    void theRecipesVipServiceWithIngressPortAndPlainRestartIsReported() {
        String g = SwarmBed.uniqueGroup("vip");
        groups.add(g);
        String name = plainService(g + "-recipe", g, new EndpointSpec().withMode(EndpointResolutionMode.VIP)
                .withPorts(List.of(new PortConfig().withProtocol(PortConfigProtocol.TCP).withTargetPort(6379)
                        .withPublishMode(PortConfig.PublishMode.ingress))),
                ServiceRestartCondition.ANY, List.of("redis-server", "--port", "6379"));
        List<Finding> mine = about(bed.backend.findings(g), name);
        System.out.println("findings: " + mine);
        assertEquals(List.of("vip-endpoint", "ingress-port", "restart-empty"), mine.stream().map(Finding::check).toList(),
                mine.toString());
        assertEquals(Severity.ERROR, mine.get(0).severity());
        assertTrue(mine.get(0).fix().contains("--endpoint-mode dnsrr"), mine.get(0).fix());
        assertEquals(Severity.WARN, mine.get(1).severity());
        assertEquals(Severity.ERROR, mine.get(2).severity());
    }

    @Test
    void aTaskThatFailsToStartIsReportedWithSwarmsErrorAndRscNodesAreClean() throws InterruptedException {
        String g = SwarmBed.uniqueGroup("crash");
        groups.add(g);
        Node master = bed.backend.start(NodeSpec.master(g, Optional.empty(), List.of()), rsc.backend.Progress.NONE);
        String name = plainService(g + "-crash", g, new EndpointSpec().withMode(EndpointResolutionMode.DNSRR),
                ServiceRestartCondition.NONE, List.of("sh", "-c", "echo cannot start >&2; exit 3"));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<Finding> findings = List.of();
        while (System.nanoTime() < deadline) {
            findings = bed.backend.findings(g);
            if (!about(findings, name).isEmpty()) {
                break;
            }
            Thread.sleep(300);
        }
        List<Finding> mine = about(findings, name);
        System.out.println("findings: " + findings);
        if (mine.isEmpty()) {
            fail("no finding about " + name + " within 30 s: " + findings);
        }
        assertEquals(1, mine.size(), mine.toString());
        Finding f = mine.get(0);
        assertEquals("task-failed", f.check());
        assertEquals(Severity.ERROR, f.severity(), "no task of it runs: " + f);
        assertTrue(f.what().contains("task: non-zero exit (3)"), "Swarm's error: " + f.what());
        assertTrue(f.what().contains("no task of it runs now"), f.what());
        assertEquals(List.of(), about(findings, master.name()), "rsc's own master has no finding");
    }
}

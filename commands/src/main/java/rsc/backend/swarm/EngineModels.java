package rsc.backend.swarm;

import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.EndpointResolutionMode;
import com.github.dockerjava.api.model.EndpointSpec;
import com.github.dockerjava.api.model.NetworkAttachmentConfig;
import com.github.dockerjava.api.model.PortConfig;
import com.github.dockerjava.api.model.PortConfigProtocol;
import com.github.dockerjava.api.model.ServiceModeConfig;
import com.github.dockerjava.api.model.ServicePlacement;
import com.github.dockerjava.api.model.ServiceReplicatedModeOptions;
import com.github.dockerjava.api.model.ServiceRestartCondition;
import com.github.dockerjava.api.model.ServiceRestartPolicy;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.TaskSpec;

import java.util.List;

/**
 * rsc's requests turned into docker-java specs, for {@link SwarmGateway}; nothing here calls the engine, and no bean
 * leaves this package. (What the engine lists comes back as JSON, turned into rsc's records in {@link EngineJson}.)
 */
final class EngineModels {

    private EngineModels() {
    }

    /** The spec of a node's service: dnsrr, the port published in host mode, restart any, one replica. */
    static ServiceSpec serviceSpec(SwarmGateway.ServiceRequest r) {
        ContainerSpec container = new ContainerSpec().withImage(r.image()).withCommand(r.command()).withEnv(r.env())
                .withLabels(r.labels()).withHostname(r.name());
        r.secret().ifPresent(s -> container.withSecrets(List.of(secretMount(s))));
        r.volume().ifPresent(v -> container.withMounts(List.of(new com.github.dockerjava.api.model.Mount()
                .withType(com.github.dockerjava.api.model.MountType.VOLUME).withSource(v.name()).withTarget(v.target())
                .withVolumeOptions(new com.github.dockerjava.api.model.VolumeOptions().withLabels(v.labels())
                        .withDriverConfig(new com.github.dockerjava.api.model.Driver().withName("local"))))));
        TaskSpec task = new TaskSpec().withContainerSpec(container)
                .withRestartPolicy(new ServiceRestartPolicy().withCondition(ServiceRestartCondition.ANY))
                .withNetworks(List.of(new NetworkAttachmentConfig().withTarget(r.networkId()).withAliases(r.aliases())));
        if (!r.constraints().isEmpty()) {
            task.withPlacement(new ServicePlacement().withConstraints(r.constraints()));
        }
        ServiceSpec spec = new ServiceSpec().withName(r.name()).withLabels(r.labels()).withTaskTemplate(task)
                .withMode(new ServiceModeConfig().withReplicated(new ServiceReplicatedModeOptions().withReplicas(1)))
                .withEndpointSpec(new EndpointSpec().withMode(EndpointResolutionMode.DNSRR).withPorts(List.of(
                        new PortConfig().withProtocol(PortConfigProtocol.TCP).withTargetPort(r.targetPort())
                                .withPublishedPort(r.publishedPort()).withPublishMode(PortConfig.PublishMode.host))));
        return spec;
    }

    /** A secret mounted read-only (0400, root) at {@code /run/secrets/<file>}. */
    static com.github.dockerjava.api.model.ContainerSpecSecret secretMount(SwarmGateway.SecretRef s) {
        return new com.github.dockerjava.api.model.ContainerSpecSecret().withSecretId(s.id()).withSecretName(s.name())
                .withFile(new com.github.dockerjava.api.model.ContainerSpecFile().withName(s.file())
                        .withUid("0").withGid("0").withMode(0400L));
    }

    /** The spec of a one-off job: restart none, pinned to its node, that node's Docker socket mounted. */
    static ServiceSpec jobSpec(SwarmGateway.JobRequest r) {
        ContainerSpec container = new ContainerSpec().withImage(r.image()).withArgs(r.args()).withLabels(r.labels())
                .withMounts(List.of(new com.github.dockerjava.api.model.Mount()
                        .withType(com.github.dockerjava.api.model.MountType.BIND)
                        .withSource(r.socketOnNode()).withTarget("/var/run/docker.sock")));
        TaskSpec task = new TaskSpec().withContainerSpec(container)
                .withRestartPolicy(new ServiceRestartPolicy().withCondition(ServiceRestartCondition.NONE))
                .withPlacement(new ServicePlacement().withConstraints(List.of("node.id==" + r.nodeId())));
        ServiceSpec spec = new ServiceSpec().withName(r.name()).withLabels(r.labels()).withTaskTemplate(task)
                .withMode(new ServiceModeConfig().withReplicated(new ServiceReplicatedModeOptions().withReplicas(1)));
        return spec;
    }
}

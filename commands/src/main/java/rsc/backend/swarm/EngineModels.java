package rsc.backend.swarm;

import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.EndpointResolutionMode;
import com.github.dockerjava.api.model.EndpointSpec;
import com.github.dockerjava.api.model.NetworkAttachmentConfig;
import com.github.dockerjava.api.model.PortConfig;
import com.github.dockerjava.api.model.PortConfigProtocol;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.ServiceModeConfig;
import com.github.dockerjava.api.model.ServicePlacement;
import com.github.dockerjava.api.model.ServiceReplicatedModeOptions;
import com.github.dockerjava.api.model.ServiceRestartCondition;
import com.github.dockerjava.api.model.ServiceRestartPolicy;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.SwarmNode;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskSpec;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * docker-java's mutable beans turned into rsc's records, and rsc's requests into docker-java specs, for
 * {@link SwarmGateway}; nothing here calls the engine, and no bean leaves this package.
 */
final class EngineModels {

    private EngineModels() {
    }

    static SwarmService toService(Service s) {
        ServiceSpec spec = s.getSpec();
        TaskSpec t = spec == null ? null : spec.getTaskTemplate();
        String image = t == null || t.getContainerSpec() == null ? "" : Objects.toString(t.getContainerSpec().getImage(), "");
        int at = image.indexOf("@sha256:");
        if (at > 0) {
            image = image.substring(0, at);
        }
        String mode = "replicated";
        long replicas = -1;
        if (spec != null && spec.getMode() != null) {
            if (spec.getMode().getGlobal() != null) {
                mode = "global";
            } else if (spec.getMode().getReplicated() != null) {
                replicas = spec.getMode().getReplicated().getReplicas();
            }
        }
        String endpointMode = "vip";
        List<String> ports = new ArrayList<>();
        if (spec != null && spec.getEndpointSpec() != null) {
            if (spec.getEndpointSpec().getMode() == EndpointResolutionMode.DNSRR) {
                endpointMode = "dnsrr";
            }
            for (PortConfig p : Optional.ofNullable(spec.getEndpointSpec().getPorts()).orElse(List.of())) {
                String proto = p.getProtocol() == null ? "tcp" : p.getProtocol().name().toLowerCase(java.util.Locale.ROOT);
                String pub = p.getPublishedPort() > 0 ? p.getPublishedPort() + ":" : "";
                ports.add(pub + p.getTargetPort() + "/" + proto + " (" + (p.getPublishMode() == null ? "ingress"
                        : p.getPublishMode().name()) + ")");
            }
        }
        List<String> networks = new ArrayList<>();
        if (t != null && t.getNetworks() != null) {
            t.getNetworks().forEach(n -> networks.add(n.getTarget()));
        }
        if (spec != null && spec.getNetworks() != null) {
            spec.getNetworks().forEach(n -> networks.add(n.getTarget()));
        }
        return new SwarmService(s.getId(), spec == null ? "" : spec.getName(),
                spec == null || spec.getLabels() == null ? Map.of() : spec.getLabels(), image, mode, replicas,
                endpointMode, ports, networks);
    }

    static List<ServiceShape> shapes(List<Service> list) {
        List<ServiceShape> out = new ArrayList<>();
        for (Service s : list) {
            SwarmService basic = toService(s);
            ServiceSpec spec = s.getSpec();
            TaskSpec t = spec == null ? null : spec.getTaskTemplate();
            ServiceRestartCondition c = t == null || t.getRestartPolicy() == null ? null : t.getRestartPolicy().getCondition();
            String restart = c == ServiceRestartCondition.NONE ? "none" : c == ServiceRestartCondition.ON_FAILURE ? "on-failure" : "any";
            List<String> command = new ArrayList<>();
            if (t != null && t.getContainerSpec() != null) {
                Optional.ofNullable(t.getContainerSpec().getCommand()).ifPresent(command::addAll);
                Optional.ofNullable(t.getContainerSpec().getArgs()).ifPresent(command::addAll);
            }
            Map<String, String> ports = new java.util.LinkedHashMap<>();
            if (spec != null && spec.getEndpointSpec() != null) {
                for (PortConfig p : Optional.ofNullable(spec.getEndpointSpec().getPorts()).orElse(List.of())) {
                    String proto = p.getProtocol() == null ? "tcp" : lower(p.getProtocol().name());
                    ports.put((p.getPublishedPort() > 0 ? p.getPublishedPort() + ":" : "") + p.getTargetPort() + "/" + proto,
                            p.getPublishMode() == null ? "ingress" : p.getPublishMode().name());
                }
            }
            out.add(new ServiceShape(basic.id(), basic.name(), basic.labels(), basic.image(), basic.endpointMode(), ports,
                    restart, command));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static SwarmTask toTask(Task t, Map<String, String> namesById) {
        var st = t.getStatus();
        String state = st == null || st.getState() == null ? "unknown" : st.getState().getValue();
        String desired = t.getDesiredState() == null ? "unknown" : t.getDesiredState().getValue();
        String container = st == null || st.getContainerStatus() == null ? ""
                : Objects.toString(st.getContainerStatus().getContainerID(), "");
        List<String> addresses = new ArrayList<>();
        Object attachments = t.getRawValues().get("NetworksAttachments");
        if (attachments instanceof List<?> l) {
            for (Object a : l) {
                if (a instanceof Map<?, ?> m && m.get("Addresses") instanceof List<?> addrs) {
                    Object spec = m.get("Network") instanceof Map<?, ?> n ? n.get("Spec") : null;
                    String netName = spec instanceof Map<?, ?> sm ? Objects.toString(sm.get("Name"), "") : "";
                    if ("ingress".equals(netName)) {
                        continue;
                    }
                    for (Object addr : addrs) {
                        String s = String.valueOf(addr);
                        int slash = s.indexOf('/');
                        addresses.add(slash > 0 ? s.substring(0, slash) : s);
                    }
                }
            }
        }
        Set<SwarmTask.PublishedPort> ports = new LinkedHashSet<>();
        // docker-java's TaskStatus has no PortStatus: read it from the task's raw JSON (kept whole on the Task)
        Object rawStatus = t.getRawValues().get("Status");
        Object portStatus = rawStatus instanceof Map<?, ?> rs ? rs.get("PortStatus") : null;
        if (portStatus == null && st != null) {
            portStatus = st.getRawValues().get("PortStatus");
        }
        if (portStatus instanceof Map<?, ?> ps && ps.get("Ports") instanceof List<?> pl) {
            for (Object p : pl) {
                if (p instanceof Map<?, ?> pm) {
                    ports.add(new SwarmTask.PublishedPort(intOf(pm.get("TargetPort")), intOf(pm.get("PublishedPort")),
                            Objects.toString(pm.get("Protocol"), "tcp")));
                }
            }
        }
        String serviceName = namesById.getOrDefault(t.getServiceId(), "");
        return new SwarmTask(t.getId(), Objects.toString(t.getServiceId(), ""), serviceName,
                t.getSlot() == null ? 0 : t.getSlot(), Objects.toString(t.getNodeId(), ""), state, desired,
                st == null ? "" : Objects.toString(st.getMessage(), ""), st == null ? "" : Objects.toString(st.getErr(), ""),
                container, addresses, List.copyOf(ports), st == null ? "" : Objects.toString(st.getTimestamp(), ""));
    }

    private static int intOf(Object o) {
        if (o instanceof Number n) {
            return n.intValue();
        }
        try {
            return o == null ? 0 : Integer.parseInt(o.toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static SwarmNodeInfo toNodeInfo(SwarmNode n) {
        String role = n.getSpec() == null || n.getSpec().getRole() == null ? "?" : lower(n.getSpec().getRole().name());
        String availability = n.getSpec() == null || n.getSpec().getAvailability() == null ? "?"
                : lower(n.getSpec().getAvailability().name());
        String state = n.getStatus() == null || n.getStatus().getState() == null ? "?" : lower(n.getStatus().getState().name());
        String address = n.getStatus() == null ? "" : Objects.toString(n.getStatus().getAddress(), "");
        String hostname = n.getDescription() == null ? "" : Objects.toString(n.getDescription().getHostname(), "");
        boolean leader = n.getManagerStatus() != null && n.getManagerStatus().isLeader();
        String managerAddress = n.getManagerStatus() == null ? "" : Objects.toString(n.getManagerStatus().getAddr(), "");
        Map<String, String> labels = n.getSpec() == null || n.getSpec().getLabels() == null ? Map.of() : n.getSpec().getLabels();
        return new SwarmNodeInfo(n.getId(), hostname, role, availability, state, address, leader, managerAddress, labels);
    }

    /** The spec of a node's service: dnsrr, the port published in host mode, restart any, one replica. */
    static ServiceSpec serviceSpec(SwarmGateway.ServiceRequest r) {
        ContainerSpec container = new ContainerSpec().withImage(r.image()).withCommand(r.command()).withEnv(r.env())
                .withLabels(r.labels()).withHostname(r.name());
        r.secret().ifPresent(s -> container.withSecrets(List.of(new com.github.dockerjava.api.model.ContainerSpecSecret()
                .withSecretId(s.id()).withSecretName(s.name())
                .withFile(new com.github.dockerjava.api.model.ContainerSpecFile().withName(s.file())
                        .withUid("0").withGid("0").withMode(0400L)))));
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
                                .withPublishMode(PortConfig.PublishMode.host))));
        return spec;
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

    private static String lower(String s) {
        return s.toLowerCase(java.util.Locale.ROOT);
    }
}

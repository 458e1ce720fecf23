package rsc.backend.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.LogSwarmObjectCmd;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.EndpointResolutionMode;
import com.github.dockerjava.api.model.EndpointSpec;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.Network;
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
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.RemoteApiVersion;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import rsc.command.RscException;
import rsc.model.Names;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place that speaks docker-java. It negotiates the Engine API version, sets timeouts, turns every
 * Docker failure into a one-line {@link RscException}, and hands the rest of rsc records, never docker-java beans.
 */
final class SwarmGateway implements AutoCloseable {

    static final String DEFAULT_HOST = "unix:///var/run/docker.sock";
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(30);
    /** The newest Engine API this docker-java release knows. */
    static final RemoteApiVersion NEWEST_KNOWN = RemoteApiVersion.VERSION_1_44;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final String host;
    private final DockerHttpClient http;
    private final DockerHttpClient streamHttp;
    private final DockerClient docker;
    private final DockerClient streams;
    private final EngineInfo engine;

    private SwarmGateway(String host) {
        this.host = host;
        DefaultDockerClientConfig base = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host).build();
        this.http = new ZerodepDockerHttpClient.Builder().dockerHost(URI.create(host)).sslConfig(base.getSSLConfig())
                .connectionTimeout(CONNECT_TIMEOUT).responseTimeout(RESPONSE_TIMEOUT).build();
        this.streamHttp = new ZerodepDockerHttpClient.Builder().dockerHost(URI.create(host)).sslConfig(base.getSSLConfig())
                .connectionTimeout(CONNECT_TIMEOUT).build();
        try {
            JsonNode version = rawGet(http, host, "/version");
            String engineApi = version.path("ApiVersion").asText("");
            RemoteApiVersion api = chooseApi(engineApi);
            DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                    .withDockerHost(host).withApiVersion(api).build();
            this.docker = DockerClientImpl.getInstance(config, http);
            this.streams = DockerClientImpl.getInstance(config, streamHttp);
            Info info = call("read the engine's info", () -> docker.infoCmd().exec());
            var swarm = info.getSwarm();
            String state = swarm == null || swarm.getLocalNodeState() == null ? "inactive"
                    : swarm.getLocalNodeState().getValue();
            boolean manager = swarm != null && Boolean.TRUE.equals(swarm.getControlAvailable());
            this.engine = new EngineInfo(host, version.path("Version").asText("?"), engineApi, api.getVersion(), state,
                    manager, swarm == null ? "" : Objects.toString(swarm.getNodeID(), ""),
                    swarm == null ? "" : Objects.toString(swarm.getNodeAddr(), ""));
        } catch (RuntimeException e) {
            closeQuietly(http);
            closeQuietly(streamHttp);
            throw e;
        }
    }

    /** Connects to the engine at {@code dockerHost} (or the default socket) and negotiates the API version. */
    static SwarmGateway open(Optional<String> dockerHost) {
        return new SwarmGateway(dockerHost.filter(h -> !h.isBlank()).orElse(DEFAULT_HOST));
    }

    /** The API version to use: the engine's newest, capped at the newest docker-java knows. */
    static RemoteApiVersion chooseApi(String engineApi) {
        RemoteApiVersion engine = RemoteApiVersion.parseConfig(engineApi);
        if (!engine.isGreaterOrEqual(RemoteApiVersion.VERSION_1_24)) {
            throw new RscException("the Docker Engine speaks API " + Names.printable(engineApi)
                    + "; rsc needs at least 1.24");
        }
        return engine.isGreater(NEWEST_KNOWN) ? NEWEST_KNOWN : engine;
    }

    /**
     * True when an engine answers at the host within {@code limit} and is an active swarm manager. Never throws.
     */
    static boolean probe(Optional<String> dockerHost, Duration limit) {
        String h = dockerHost.filter(s -> !s.isBlank()).orElse(DEFAULT_HOST);
        ExecutorService one = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "rsc-swarm-probe");
            t.setDaemon(true);
            return t;
        });
        try {
            Future<Boolean> f = one.submit(() -> {
                try (DockerHttpClient c = new ZerodepDockerHttpClient.Builder().dockerHost(URI.create(h))
                        .connectionTimeout(limit).responseTimeout(limit).build()) {
                    JsonNode swarm = rawGet(c, h, "/info").path("Swarm");
                    return "active".equals(swarm.path("LocalNodeState").asText())
                            && swarm.path("ControlAvailable").asBoolean(false);
                }
            });
            return f.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        } finally {
            one.shutdownNow();
        }
    }

    private static JsonNode rawGet(DockerHttpClient client, String host, String path) {
        DockerHttpClient.Request req = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.GET).path(path).build();
        try (DockerHttpClient.Response r = client.execute(req); InputStream body = r.getBody()) {
            byte[] bytes = body.readAllBytes();
            if (r.getStatusCode() / 100 != 2) {
                throw new RscException("the Docker Engine answered " + path + " with " + r.getStatusCode() + ": "
                        + oneLine(new String(bytes, StandardCharsets.UTF_8)));
            }
            return JSON.readTree(bytes);
        } catch (RscException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new RscException("cannot reach the Docker Engine at " + host + ": " + reason(e), e);
        }
    }

    EngineInfo engine() {
        return engine;
    }

    String host() {
        return host;
    }

    /** Throws unless this engine is an active swarm manager. */
    void requireManager() {
        if (!"active".equals(engine.swarmState())) {
            throw new RscException("the Docker Engine at " + host + " is not part of a swarm (state " + engine.swarmState()
                    + "): run 'docker swarm init', or start rsc with --backend local");
        }
        if (!engine.manager()) {
            throw new RscException("the Docker Engine at " + host + " is a swarm worker, not a manager: "
                    + "point DOCKER_HOST at a manager");
        }
    }

    // ------------------------------------------------------------------------------------------ images, networks

    boolean imagePresent(String image) {
        try {
            docker.inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        } catch (RuntimeException e) {
            throw translate("inspect image " + image, e);
        }
    }

    /** A network by exact name. */
    Optional<NetworkInfo> network(String name) {
        List<Network> all = call("list networks", () -> docker.listNetworksCmd().withNameFilter(name).exec());
        return all.stream().filter(n -> name.equals(n.getName())).findFirst()
                .map(n -> new NetworkInfo(n.getId(), n.getName(), n.getDriver(), n.getScope(),
                        Boolean.TRUE.equals(n.isAttachable()), n.getLabels() == null ? Map.of() : Map.copyOf(n.getLabels())));
    }

    /**
     * Addresses of this engine's containers on {@code docker_gwbridge}, by container id: the one address of a swarm
     * task that publishes no port which the manager itself can connect to.
     */
    Map<String, String> gatewayBridgeAddresses() {
        try {
            Network n = docker.inspectNetworkCmd().withNetworkId("docker_gwbridge").exec();
            Map<String, String> out = new java.util.HashMap<>();
            Optional.ofNullable(n.getContainers()).orElse(Map.of()).forEach((id, c) -> {
                String ip = c.getIpv4Address();
                if (ip != null && !ip.isEmpty()) {
                    out.put(id, ip.contains("/") ? ip.substring(0, ip.indexOf('/')) : ip);
                }
            });
            return out;
        } catch (NotFoundException e) {
            return Map.of();
        } catch (RuntimeException e) {
            throw translate("inspect network docker_gwbridge", e);
        }
    }

    /** Creates an attachable overlay network with labels and returns its id. */
    String createOverlay(String name, Map<String, String> labels) {
        return call("create network " + name, () -> docker.createNetworkCmd().withName(name).withDriver("overlay")
                .withAttachable(true).withLabels(labels).withCheckDuplicate(true).exec().getId());
    }

    void removeNetwork(String id) {
        call("remove network " + id, () -> {
            docker.removeNetworkCmd(id).exec();
            return null;
        });
    }

    /** What rsc knows of a network. */
    record NetworkInfo(String id, String name, String driver, String scope, boolean attachable, Map<String, String> labels) {
    }

    // ------------------------------------------------------------------------------------------ services, tasks

    /** What a node's service is made of; the gateway turns it into a docker-java spec. */
    record ServiceRequest(String name, String image, List<String> command, List<String> env, Map<String, String> labels,
                          String networkId, List<String> aliases, int targetPort, Optional<SecretRef> secret,
                          List<String> constraints) {
    }

    /** A Docker secret to mount read-only at {@code /run/secrets/<file>}. */
    record SecretRef(String id, String name, String file) {
    }

    /** The id of the secret with this exact name, if it exists. */
    Optional<String> secretId(String name) {
        return call("list secrets", () -> docker.listSecretsCmd().withNameFilter(List.of(name)).exec()).stream()
                .filter(s -> s.getSpec() != null && name.equals(s.getSpec().getName())).map(s -> s.getId()).findFirst();
    }

    /** Creates a secret and returns its id (docker-java base64-encodes the value for the Engine API itself). */
    String createSecret(String name, Map<String, String> labels, String asciiValue) {
        return call("create secret " + name, () -> docker.createSecretCmd(new com.github.dockerjava.api.model.SecretSpec()
                .withName(name).withLabels(labels).withData(asciiValue)).exec().getId());
    }

    void removeSecret(String id) {
        call("remove secret " + id, () -> {
            docker.removeSecretCmd(id).exec();
            return null;
        });
    }

    String createService(ServiceRequest r) {
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
        return call("create service " + r.name(), () -> docker.createServiceCmd(spec).exec().getId());
    }

    /**
     * Drops a service's placement constraints, so Swarm may reschedule its task anywhere. Swarm does not restart a task
     * whose node still meets the new placement (seen here: same task id before and after).
     */
    void clearPlacement(String serviceId) {
        updateVersioned("update the placement of service " + serviceId, () -> {
            Service current = call("inspect service " + serviceId, () -> docker.inspectServiceCmd(serviceId).exec());
            ServiceSpec spec = current.getSpec();
            if (spec == null || spec.getTaskTemplate() == null || spec.getTaskTemplate().getPlacement() == null
                    || Optional.ofNullable(spec.getTaskTemplate().getPlacement().getConstraints()).orElse(List.of()).isEmpty()) {
                return;
            }
            spec.getTaskTemplate().withPlacement(new ServicePlacement().withConstraints(List.of()));
            docker.updateServiceCmd(serviceId, spec).withVersion(current.getVersion().getIndex()).exec();
        });
    }

    /**
     * Runs an update that reads an object and writes it back with its version index. Swarm bumps the index on its
     * own, so a stale one is refused with "update out of sequence": read again and retry, a few times.
     */
    private void updateVersioned(String what, Runnable readAndUpdate) {
        for (int attempt = 1; ; attempt++) {
            try {
                readAndUpdate.run();
                return;
            } catch (DockerException e) {
                if (attempt >= 5 || !dockerMessage(e).contains("out of sequence")) {
                    throw translate(what, e);
                }
            } catch (RuntimeException e) {
                throw translate(what, e);
            }
        }
    }

    /** A one-off task: an image and its arguments, pinned to one node, with that node's Docker socket mounted. */
    record JobRequest(String name, String image, List<String> args, String nodeId, String socketOnNode,
                      Map<String, String> labels) {
    }

    /** Creates a one-off service (restart condition none) for a {@link JobRequest} and returns its id. */
    String createJob(JobRequest r) {
        ContainerSpec container = new ContainerSpec().withImage(r.image()).withArgs(r.args()).withLabels(r.labels())
                .withMounts(List.of(new com.github.dockerjava.api.model.Mount()
                        .withType(com.github.dockerjava.api.model.MountType.BIND)
                        .withSource(r.socketOnNode()).withTarget("/var/run/docker.sock")));
        TaskSpec task = new TaskSpec().withContainerSpec(container)
                .withRestartPolicy(new ServiceRestartPolicy().withCondition(ServiceRestartCondition.NONE))
                .withPlacement(new ServicePlacement().withConstraints(List.of("node.id==" + r.nodeId())));
        ServiceSpec spec = new ServiceSpec().withName(r.name()).withLabels(r.labels()).withTaskTemplate(task)
                .withMode(new ServiceModeConfig().withReplicated(new ServiceReplicatedModeOptions().withReplicas(1)));
        return call("create service " + r.name(), () -> docker.createServiceCmd(spec).exec().getId());
    }

    /** Sets a swarm node's availability ({@code active}, {@code pause}, {@code drain}). */
    void setAvailability(String nodeId, String availability) {
        var wanted = com.github.dockerjava.api.model.SwarmNodeAvailability.valueOf(availability.toUpperCase(java.util.Locale.ROOT));
        updateVersioned("set the availability of node " + nodeId, () -> {
            SwarmNode n = call("inspect node " + nodeId, () -> docker.listSwarmNodesCmd().withIdFilter(List.of(nodeId)).exec())
                    .stream().filter(x -> x.getId().equals(nodeId)).findFirst()
                    .orElseThrow(() -> new RscException("no swarm node " + Names.printable(nodeId)));
            docker.updateSwarmNodeCmd().withSwarmNodeId(nodeId).withSwarmNodeSpec(n.getSpec().withAvailability(wanted))
                    .withVersion(n.getVersion().getIndex()).exec();
        });
    }

    /** Services, all or those carrying every label given. */
    List<SwarmService> services(Map<String, String> labels) {
        List<Service> list = call("list services", () -> labels.isEmpty() ? docker.listServicesCmd().exec()
                : docker.listServicesCmd().withLabelFilter(labels).exec());
        List<SwarmService> out = new ArrayList<>();
        for (Service s : list) {
            out.add(toService(s));
        }
        return out;
    }

    private static SwarmService toService(Service s) {
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

    /**
     * What {@code doctor} looks at in a service: how it is reached, how Swarm restarts it, what it runs.
     *
     * @param restartCondition {@code any}, {@code on-failure} or {@code none} (Swarm's default, {@code any}, when unset)
     * @param ports            published ports as {@code target/proto} to publish mode ({@code ingress} or {@code host})
     * @param command          the container's command followed by its arguments
     */
    record ServiceShape(String id, String name, Map<String, String> labels, String image, String endpointMode,
                        Map<String, String> ports, String restartCondition, List<String> command) {
        ServiceShape {
            labels = Map.copyOf(labels);
            ports = Map.copyOf(ports);
            command = List.copyOf(command);
        }
    }

    /** Services carrying every label given, as {@link ServiceShape}s. */
    List<ServiceShape> serviceShapes(Map<String, String> labels) {
        return shapes(call("list services", () -> docker.listServicesCmd().withLabelFilter(labels).exec()));
    }

    /** The services of exactly these names (the engine's name filter matches prefixes), as {@link ServiceShape}s. */
    List<ServiceShape> serviceShapesNamed(List<String> names) {
        return shapes(call("list services", () -> docker.listServicesCmd().withNameFilter(names).exec()).stream()
                .filter(s -> s.getSpec() != null && names.contains(s.getSpec().getName())).toList());
    }

    private static List<ServiceShape> shapes(List<Service> list) {
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

    /** Tasks of the named services (all tasks when none is named). */
    List<SwarmTask> tasks(List<String> serviceNames, Map<String, String> namesById) {
        List<Task> list = call("list tasks", () -> serviceNames.isEmpty() ? docker.listTasksCmd().exec()
                : docker.listTasksCmd().withServiceFilter(serviceNames.toArray(String[]::new)).exec());
        List<SwarmTask> out = new ArrayList<>();
        for (Task t : list) {
            out.add(toTask(t, namesById));
        }
        return out;
    }

    /** One task by id, if it exists. */
    Optional<SwarmTask> task(String id, Map<String, String> namesById) {
        return tasksById(id, namesById);
    }

    private Optional<SwarmTask> tasksById(String id, Map<String, String> namesById) {
        List<Task> list = call("list tasks", () -> docker.listTasksCmd().withIdFilter(id).exec());
        return list.stream().filter(t -> t.getId().startsWith(id)).findFirst().map(t -> toTask(t, namesById));
    }

    @SuppressWarnings("unchecked")
    private static SwarmTask toTask(Task t, Map<String, String> namesById) {
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

    /** Removes a service; a service already gone is not an error. */
    void removeService(String idOrName) {
        try {
            docker.removeServiceCmd(idOrName).exec();
        } catch (NotFoundException e) {
            // already gone
        } catch (RuntimeException e) {
            throw translate("remove service " + idOrName, e);
        }
    }

    /** Ids of the containers (running or not) of a service on this engine. */
    List<String> containersOf(String serviceName) {
        return call("list containers", () -> docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of("com.docker.swarm.service.name", serviceName)).exec())
                .stream().map(c -> c.getId()).toList();
    }

    void kill(String containerId, String signal) {
        call("send " + signal + " to container " + shortId(containerId), () -> {
            docker.killContainerCmd(containerId).withSignal(signal).exec();
            return null;
        });
    }

    void pause(String containerId) {
        call("pause container " + shortId(containerId), () -> {
            docker.pauseContainerCmd(containerId).exec();
            return null;
        });
    }

    void unpause(String containerId) {
        call("unpause container " + shortId(containerId), () -> {
            docker.unpauseContainerCmd(containerId).exec();
            return null;
        });
    }

    List<SwarmNodeInfo> swarmNodes() {
        List<SwarmNode> nodes = call("list swarm nodes", () -> docker.listSwarmNodesCmd().exec());
        List<SwarmNodeInfo> out = new ArrayList<>();
        for (SwarmNode n : nodes) {
            String role = n.getSpec() == null || n.getSpec().getRole() == null ? "?" : lower(n.getSpec().getRole().name());
            String availability = n.getSpec() == null || n.getSpec().getAvailability() == null ? "?"
                    : lower(n.getSpec().getAvailability().name());
            String state = n.getStatus() == null || n.getStatus().getState() == null ? "?" : lower(n.getStatus().getState().name());
            String address = n.getStatus() == null ? "" : Objects.toString(n.getStatus().getAddress(), "");
            String hostname = n.getDescription() == null ? "" : Objects.toString(n.getDescription().getHostname(), "");
            boolean leader = n.getManagerStatus() != null && n.getManagerStatus().isLeader();
            String managerAddress = n.getManagerStatus() == null ? "" : Objects.toString(n.getManagerStatus().getAddr(), "");
            Map<String, String> labels = n.getSpec() == null || n.getSpec().getLabels() == null ? Map.of() : n.getSpec().getLabels();
            out.add(new SwarmNodeInfo(n.getId(), hostname, role, availability, state, address, leader, managerAddress, labels));
        }
        return out;
    }

    private static String lower(String s) {
        return s.toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Reads a service's or task's log, line by line. With {@code follow} it blocks until the stream ends or the
     * calling thread is interrupted (which ends it quietly); otherwise it returns once the tail is read.
     */
    void logs(String id, boolean isTask, Integer tail, boolean follow, Consumer<String> lines) {
        DockerClient client = follow ? streams : docker;
        LogSwarmObjectCmd cmd = (isTask ? client.logTaskCmd(id) : client.logServiceCmd(id))
                .withStdout(true).withStderr(true).withFollow(follow).withDetails(false);
        if (tail != null) {
            cmd = cmd.withTail(tail);
        }
        LineCollector collector = new LineCollector(lines);
        try {
            cmd.exec(collector);
            if (follow) {
                collector.awaitCompletion();
            } else if (!collector.awaitCompletion(RESPONSE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new RscException("the Docker Engine did not send the log of " + id + " within "
                        + RESPONSE_TIMEOUT.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RscException e) {
            throw e;
        } catch (RuntimeException e) {
            throw translate("read the log of " + id, e);
        } finally {
            closeQuietly(collector);
            collector.flush();
        }
        if (collector.failure != null && !Thread.currentThread().isInterrupted()) {
            throw translate("read the log of " + id, collector.failure);
        }
    }

    /** Turns log frames into lines. */
    private static final class LineCollector extends ResultCallback.Adapter<Frame> {
        private final Consumer<String> lines;
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
        private volatile RuntimeException failure;

        LineCollector(Consumer<String> lines) {
            this.lines = lines;
        }

        @Override
        public synchronized void onNext(Frame frame) {
            for (byte b : frame.getPayload()) {
                if (b == '\n') {
                    emit();
                } else {
                    partial.write(b);
                }
            }
        }

        @Override
        public void onError(Throwable t) {
            if (t instanceof RuntimeException r) {
                failure = r;
            } else {
                failure = new RuntimeException(t);
            }
            super.onError(t);
        }

        private void emit() {
            String line = partial.toString(StandardCharsets.UTF_8);
            partial.reset();
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            lines.accept(line);
        }

        synchronized void flush() {
            if (partial.size() > 0) {
                emit();
            }
        }
    }

    // ------------------------------------------------------------------------------------------ errors

    private <T> T call(String what, Supplier<T> action) {
        try {
            return action.get();
        } catch (RuntimeException e) {
            throw translate(what, e);
        }
    }

    private RscException translate(String what, Throwable e) {
        if (e instanceof RscException r) {
            return r;
        }
        if (e instanceof DockerException d) {
            return new RscException("docker: cannot " + what + ": " + dockerMessage(d), e);
        }
        return new RscException("cannot reach the Docker Engine at " + host + ": " + reason(e), e);
    }

    /** The engine's own message out of a DockerException ({@code Status 409: {"message":"..."}}). */
    static String dockerMessage(DockerException d) {
        String text = Objects.toString(d.getMessage(), "");
        Matcher m = MESSAGE.matcher(text);
        String msg = m.find() ? m.group(1).replace("\\\"", "\"").replace("\\n", " ") : text;
        return oneLine(msg);
    }

    static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = root.getMessage();
        if (root instanceof TimeoutException || root instanceof java.net.SocketTimeoutException) {
            msg = "timed out" + (msg == null ? "" : " (" + msg + ")");
        }
        return oneLine(msg == null || msg.isBlank() ? root.getClass().getSimpleName() : msg);
    }

    static String oneLine(String s) {
        String t = s == null ? "" : s.replaceAll("\\s+", " ").trim();
        return t.length() > 300 ? t.substring(0, 300) + "..." : t;
    }

    static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException | RuntimeException ignored) {
            // closing
        }
    }

    @Override
    public void close() {
        closeQuietly(http);
        closeQuietly(streamHttp);
    }
}

package rsc.backend.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.ServicePlacement;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.SwarmNode;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.RemoteApiVersion;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import rsc.command.RscException;
import rsc.model.Names;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The one place that calls the engine through docker-java (beans are converted in {@link EngineModels}, logs read in
 * {@link SwarmLogs}, failures worded in {@link DockerErrors}, all package-private). It negotiates the Engine API version, sets timeouts, turns every
 * Docker failure into a one-line {@link RscException}, and hands the rest of rsc records, never docker-java beans.
 */
final class SwarmGateway implements AutoCloseable {

    static final String DEFAULT_HOST = "unix:///var/run/docker.sock";
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(30);
    /** The newest Engine API this docker-java release knows. */
    static final RemoteApiVersion NEWEST_KNOWN = RemoteApiVersion.VERSION_1_44;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String host;
    private final DockerHttpClient http;
    private final DockerHttpClient streamHttp;
    private final DockerClient docker;
    private final EngineInfo engine;
    private final SwarmLogs logs;

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
            DockerClient streams = DockerClientImpl.getInstance(config, streamHttp);
            this.logs = new SwarmLogs(host, docker, streams);
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
                        + DockerErrors.oneLine(new String(bytes, StandardCharsets.UTF_8)));
            }
            return JSON.readTree(bytes);
        } catch (RscException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new RscException("cannot reach the Docker Engine at " + host + ": " + DockerErrors.reason(e), e);
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
        ServiceSpec spec = EngineModels.serviceSpec(r);
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
                if (attempt >= 5 || !DockerErrors.dockerMessage(e).contains("out of sequence")) {
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
        ServiceSpec spec = EngineModels.jobSpec(r);
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
            out.add(EngineModels.toService(s));
        }
        return out;
    }

    /** Services carrying every label given, as {@link ServiceShape}s. */
    List<ServiceShape> serviceShapes(Map<String, String> labels) {
        return EngineModels.shapes(call("list services", () -> docker.listServicesCmd().withLabelFilter(labels).exec()));
    }

    /** The services of exactly these names (the engine's name filter matches prefixes), as {@link ServiceShape}s. */
    List<ServiceShape> serviceShapesNamed(List<String> names) {
        return EngineModels.shapes(call("list services", () -> docker.listServicesCmd().withNameFilter(names).exec()).stream()
                .filter(s -> s.getSpec() != null && names.contains(s.getSpec().getName())).toList());
    }

    /** Tasks of the named services (all tasks when none is named). */
    List<SwarmTask> tasks(List<String> serviceNames, Map<String, String> namesById) {
        List<Task> list = call("list tasks", () -> serviceNames.isEmpty() ? docker.listTasksCmd().exec()
                : docker.listTasksCmd().withServiceFilter(serviceNames.toArray(String[]::new)).exec());
        List<SwarmTask> out = new ArrayList<>();
        for (Task t : list) {
            out.add(EngineModels.toTask(t, namesById));
        }
        return out;
    }

    /** One task by id, if it exists. */
    Optional<SwarmTask> task(String id, Map<String, String> namesById) {
        return tasksById(id, namesById);
    }

    private Optional<SwarmTask> tasksById(String id, Map<String, String> namesById) {
        List<Task> list = call("list tasks", () -> docker.listTasksCmd().withIdFilter(id).exec());
        return list.stream().filter(t -> t.getId().startsWith(id)).findFirst().map(t -> EngineModels.toTask(t, namesById));
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
        call("send " + signal + " to container " + DockerErrors.shortId(containerId), () -> {
            docker.killContainerCmd(containerId).withSignal(signal).exec();
            return null;
        });
    }

    void pause(String containerId) {
        call("pause container " + DockerErrors.shortId(containerId), () -> {
            docker.pauseContainerCmd(containerId).exec();
            return null;
        });
    }

    void unpause(String containerId) {
        call("unpause container " + DockerErrors.shortId(containerId), () -> {
            docker.unpauseContainerCmd(containerId).exec();
            return null;
        });
    }

    List<SwarmNodeInfo> swarmNodes() {
        List<SwarmNode> nodes = call("list swarm nodes", () -> docker.listSwarmNodesCmd().exec());
        return nodes.stream().map(EngineModels::toNodeInfo).toList();
    }

    /** {@link SwarmLogs#read}: a service's or task's log, line by line. */
    void logs(String id, boolean isTask, Integer tail, boolean follow, Consumer<String> lines) {
        logs.read(id, isTask, tail, follow, lines);
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
        return DockerErrors.translate(host, what, e);
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

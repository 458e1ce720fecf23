package rsc.backend.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.ServicePlacement;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.SwarmNode;
import com.github.dockerjava.core.RemoteApiVersion;
import rsc.error.RscException;
import rsc.model.Names;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The one place that calls the engine: reads (version, info, services, tasks, swarm nodes) as plain GETs
 * ({@link PlainEngine}, {@link EngineJson}), everything else through docker-java ({@link DockerJava}, built on first
 * use; beans are converted in {@link EngineModels}, logs read in {@link SwarmLogs}, failures worded in
 * {@link DockerErrors}, all package-private). It negotiates the Engine API version, sets timeouts, turns every
 * Docker failure into a one-line {@link RscException}, and hands the rest of rsc records, never docker-java beans.
 */
final class SwarmGateway implements AutoCloseable {

    static final String DEFAULT_HOST = "unix:///var/run/docker.sock";
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(30);
    /**
     * How long a listing (services, tasks, swarm nodes) may take: milliseconds normally; a manager cut off from the
     * majority holds each request until raft gives up (about 20 s here), so longer means Swarm's control plane is out
     * of reach ({@link SwarmControlLost}), and the console shows what it still can instead of hanging.
     */
    static final Duration LISTING_TIMEOUT = Duration.ofSeconds(6);

    private final String host;
    private final PlainEngine plain;
    private final RemoteApiVersion api;
    private final EngineInfo engine;
    private final EngineListings listings;
    private DockerJava dockerJava;

    private SwarmGateway(String host, Optional<EngineWatch> watch) {
        this.host = host;
        this.plain = new PlainEngine(host, watch.flatMap(w -> w.engine(host)));
        try {
            PlainEngine.Versions versions = plain.ping().orElseGet(() -> {
                JsonNode v = plain.get("read the engine's version", "/version", RESPONSE_TIMEOUT, false);
                return new PlainEngine.Versions(v.path("ApiVersion").asText(""), v.path("Version").asText("?"));
            });
            String engineApi = versions.api();
            this.api = EngineHttp.chooseApi(engineApi);
            JsonNode swarm = plain.get("read the engine's info", "/info", RESPONSE_TIMEOUT, false).path("Swarm");
            String state = swarm.path("LocalNodeState").asText("");
            this.engine = new EngineInfo(host, versions.engine(), engineApi, api.getVersion(),
                    state.isEmpty() ? "inactive" : state, swarm.path("ControlAvailable").asBoolean(false),
                    swarm.path("NodeID").asText(""), swarm.path("NodeAddr").asText(""));
            this.listings = new EngineListings(plain, api.getVersion());
        } catch (RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    /** docker-java's clients, built on first use: the reads a one-shot makes go over {@link PlainEngine} without them. */
    private synchronized DockerJava dockerJava() {
        if (dockerJava == null) {
            dockerJava = DockerJava.open(host, api);
        }
        return dockerJava;
    }

    /** Whether docker-java's clients were built (a read-only one-shot never builds them). */
    synchronized boolean dockerJavaBuilt() {
        return dockerJava != null;
    }

    private DockerClient docker() {
        return dockerJava().docker();
    }

    /** Connects to the engine at {@code dockerHost} (or the default socket) and negotiates the API version. */
    static SwarmGateway open(Optional<String> dockerHost) {
        return open(dockerHost, Optional.empty());
    }

    /** As {@link #open(Optional)}, its slow-changing reads kept warm by {@code watch} when there is one. */
    static SwarmGateway open(Optional<String> dockerHost, Optional<EngineWatch> watch) {
        return new SwarmGateway(dockerHost.filter(h -> !h.isBlank()).orElse(DEFAULT_HOST), watch);
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

    // ------------------------------------------------------------------------------------------ images

    boolean imagePresent(String image) {
        try {
            docker().inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        } catch (RuntimeException e) {
            throw translate("inspect image " + image, e);
        }
    }

    // ------------------------------------------------------------------------------------------ services, tasks

    /** What a node's service is made of (with its data volume when it persists); the gateway makes it a docker-java spec. */
    record ServiceRequest(String name, String image, List<String> command, List<String> env, Map<String, String> labels,
                          String networkId, List<String> aliases, int targetPort, int publishedPort,
                          Optional<SecretRef> secret, List<String> constraints, Optional<VolumeRef> volume) {

        ServiceRequest onNetwork(String id) {
            return new ServiceRequest(name, image, command, env, labels, id, aliases, targetPort, publishedPort, secret,
                    constraints, volume);
        }
    }

    /** A named volume of the local driver, mounted at {@code target}, created by the engine of the node the task runs on. */
    record VolumeRef(String name, String target, Map<String, String> labels) {
    }

    /** A Docker secret to mount read-only at {@code /run/secrets/<file>}. */
    record SecretRef(String id, String name, String file) {
    }

    /** The names of the secrets a service's containers mount. */
    List<String> mountedSecrets(String serviceName) {
        Service s = call("inspect service " + serviceName, () -> docker().inspectServiceCmd(serviceName).exec());
        return Optional.ofNullable(s.getSpec()).map(ServiceSpec::getTaskTemplate).map(t -> t.getContainerSpec())
                .map(c -> c.getSecrets()).orElse(List.of()).stream().map(x -> x.getSecretName()).toList();
    }

    /**
     * Mounts {@code to} in place of the service's secrets: Swarm replaces its task (a secret is immutable); a non-empty
     * {@code constraints} becomes its placement in the same update.
     */
    void swapSecret(String serviceName, SecretRef to, List<String> constraints) {
        updateVersioned("swap the secret of service " + serviceName, () -> {
            Service current = call("inspect service " + serviceName, () -> docker().inspectServiceCmd(serviceName).exec());
            ServiceSpec spec = current.getSpec();
            spec.getTaskTemplate().getContainerSpec().withSecrets(List.of(EngineModels.secretMount(to)));
            placeIn(spec, constraints);
            docker().updateServiceCmd(current.getId(), spec).withVersion(current.getVersion().getIndex()).exec();
        });
    }

    String createService(ServiceRequest r) {
        ServiceSpec spec = EngineModels.serviceSpec(r);
        return call("create service " + r.name(), () -> docker().createServiceCmd(spec).exec().getId());
    }

    /**
     * Drops a service's placement constraints, so Swarm may reschedule its task anywhere. Swarm does not restart a task
     * whose node still meets the new placement (seen here: same task id before and after).
     */
    void clearPlacement(String serviceId) {
        updateVersioned("update the placement of service " + serviceId, () -> {
            Service current = call("inspect service " + serviceId, () -> docker().inspectServiceCmd(serviceId).exec());
            ServiceSpec spec = current.getSpec();
            if (spec == null || spec.getTaskTemplate() == null || spec.getTaskTemplate().getPlacement() == null
                    || Optional.ofNullable(spec.getTaskTemplate().getPlacement().getConstraints()).orElse(List.of()).isEmpty()) {
                return;
            }
            spec.getTaskTemplate().withPlacement(new ServicePlacement().withConstraints(List.of()));
            docker().updateServiceCmd(serviceId, spec).withVersion(current.getVersion().getIndex()).exec();
        });
    }

    /**
     * Sets a service's image ({@code docker service update --image}): Swarm stops its task and starts one on it; a
     * non-empty {@code constraints} becomes its placement in the same update.
     */
    void updateImage(String serviceId, String image, List<String> constraints) {
        updateVersioned("update the image of service " + serviceId, () -> {
            Service current = call("inspect service " + serviceId, () -> docker().inspectServiceCmd(serviceId).exec());
            ServiceSpec spec = current.getSpec();
            spec.getTaskTemplate().getContainerSpec().withImage(image);
            placeIn(spec, constraints);
            docker().updateServiceCmd(serviceId, spec).withVersion(current.getVersion().getIndex()).exec();
        });
    }

    private static void placeIn(ServiceSpec spec, List<String> constraints) {
        if (!constraints.isEmpty()) {
            spec.getTaskTemplate().withPlacement(new ServicePlacement().withConstraints(constraints));
        }
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
        return call("create service " + r.name(), () -> docker().createServiceCmd(spec).exec().getId());
    }

    /** Sets a swarm node's availability ({@code active}, {@code pause}, {@code drain}). */
    void setAvailability(String nodeId, String availability) {
        var wanted = com.github.dockerjava.api.model.SwarmNodeAvailability.valueOf(availability.toUpperCase(java.util.Locale.ROOT));
        updateVersioned("set the availability of node " + nodeId, () -> {
            SwarmNode n = call("inspect node " + nodeId, () -> docker().listSwarmNodesCmd().withIdFilter(List.of(nodeId)).exec())
                    .stream().filter(x -> x.getId().equals(nodeId)).findFirst()
                    .orElseThrow(() -> new RscException("no swarm node " + Names.printable(nodeId)));
            docker().updateSwarmNodeCmd().withSwarmNodeId(nodeId).withSwarmNodeSpec(n.getSpec().withAvailability(wanted))
                    .withVersion(n.getVersion().getIndex()).exec();
        });
    }

    /** Services, all or those carrying every label given ({@link EngineListings}). */
    List<SwarmService> services(Map<String, String> labels) {
        return listings.services(labels);
    }

    List<ServiceShape> serviceShapes(Map<String, String> labels) {
        return listings.serviceShapes(labels);
    }

    List<ServiceShape> serviceShapesNamed(List<String> names) {
        return listings.serviceShapesNamed(names);
    }

    List<SwarmTask> tasks(List<String> serviceNames, Map<String, String> namesById) {
        return listings.tasks(serviceNames, namesById);
    }

    Optional<SwarmTask> task(String id, Map<String, String> namesById) {
        return listings.task(id, namesById);
    }

    /** Removes a service; a service already gone is not an error. */
    void removeService(String idOrName) {
        try {
            docker().removeServiceCmd(idOrName).exec();
        } catch (NotFoundException e) {
            // already gone
        } catch (RuntimeException e) {
            throw translate("remove service " + idOrName, e);
        }
    }

    /** This engine's own containers ({@link EngineContainers}): drills, removal, the view without a leader. */
    EngineContainers containers() {
        return dockerJava().containers();
    }

    /** The swarm's networks ({@link SwarmNetworks}): the groups' overlay, and docker_gwbridge for reach. */
    SwarmNetworks networks() {
        return dockerJava().networks();
    }

    /** The swarm's secrets ({@link SwarmSecrets}): the groups' passwords. */
    SwarmSecrets secrets() {
        return dockerJava().secrets();
    }

    List<SwarmNodeInfo> swarmNodes() {
        return listings.swarmNodes();
    }

    /** {@link SwarmLogs#read}: a service's or task's log, line by line. */
    void logs(String id, boolean isTask, Integer tail, boolean follow, Consumer<String> lines) {
        dockerJava().logs().read(id, isTask, tail, follow, lines);
    }

    // ------------------------------------------------------------------------------------------ errors

    private <T> T call(String what, Supplier<T> action) {
        return DockerErrors.call(host, what, action);
    }

    private RscException translate(String what, Throwable e) {
        return DockerErrors.translate(host, what, e);
    }

    @Override
    public void close() {
        plain.close();
        synchronized (this) {
            if (dockerJava != null) {
                dockerJava.close();
            }
        }
    }
}

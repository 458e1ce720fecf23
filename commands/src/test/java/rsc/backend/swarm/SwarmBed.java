package rsc.backend.swarm;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import rsc.backend.Progress;
import rsc.model.Endpoint;
import rsc.backend.Settings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

/** Test plumbing for the swarm backend: the skip-or-fail rule, a unique network, Lettuce connections by endpoint. */
public final class SwarmBed implements AutoCloseable {

    static final String SCRIPT = "scripts/swarm-testbed.sh";

    final String network = "rsc-it-" + UUID.randomUUID().toString().substring(0, 8);
    final Settings settings;
    final SwarmBackend backend;
    final RedisClient client;
    private final Map<Endpoint, StatefulRedisConnection<String, String>> conns = new ConcurrentHashMap<>();

    private SwarmBed() {
        String image = Optional.ofNullable(System.getenv("RSC_IMAGE")).filter(s -> !s.isBlank()).orElse("rsc-redis:local");
        this.settings = new Settings("swarm", Path.of(System.getProperty("java.io.tmpdir")), "it", image, network,
                Optional.ofNullable(System.getenv("DOCKER_HOST")).filter(s -> !s.isBlank()));
        this.backend = new SwarmBackend(settings);
        this.client = RedisClient.create();
        client.setOptions(ClientOptions.builder().autoReconnect(false)
                .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofMillis(700)).build()).build());
    }

    /** Opens the bed, or skips (fails under CI=true) when no swarm manager answers. */
    static SwarmBed open() {
        requireSwarm();
        return new SwarmBed();
    }

    /**
     * Returns when a Docker Engine that is an active swarm manager answers at {@code DOCKER_HOST} (or the default
     * socket); otherwise fails the test under {@code CI=true}, and else skips it, saying so loudly on stderr.
     */
    public static void requireSwarm() {
        Settings probe = new Settings("swarm", Path.of("."), "it", "x", "x",
                Optional.ofNullable(System.getenv("DOCKER_HOST")).filter(s -> !s.isBlank()));
        if (!SwarmBackend.probe(probe)) {
            String msg = "no Docker Engine that is an active swarm manager answers at "
                    + probe.dockerHost().orElse(SwarmGateway.DEFAULT_HOST) + ": run 'bash " + SCRIPT
                    + "' (as root) to start the swarm test bed";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(msg);
            }
            System.err.println("SKIPPING swarm integration tests: " + msg);
            abort(msg);
        }
    }

    /** The id of a network, by exact name. */
    public static Optional<String> networkId(Optional<String> dockerHost, String network) {
        try (SwarmGateway g = SwarmGateway.open(dockerHost)) {
            return g.networks().byName(network).map(SwarmNetworks.NetworkInfo::id);
        }
    }

    /** Removes a network by name, retrying for up to 30 s while Swarm still detaches tasks from it. */
    public static void removeNetwork(Optional<String> dockerHost, String network) {
        try (SwarmGateway g = SwarmGateway.open(dockerHost)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (g.networks().byName(network).isPresent() && System.nanoTime() < deadline) {
                try {
                    g.networks().remove(g.networks().byName(network).get().id());
                } catch (RuntimeException e) {
                    Thread.sleep(500);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            System.err.println("cleanup of network " + network + " failed: " + e.getMessage());
        }
    }

    static String uniqueGroup(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    /** A cached connection to a node at its reach address (dropped when it fails). */
    StatefulRedisConnection<String, String> redis(Endpoint reach) {
        return conns.compute(reach, (k, old) -> {
            if (old != null && old.isOpen()) {
                return old;
            }
            RedisURI uri = RedisURI.builder().withHost(k.host()).withPort(k.port()).withTimeout(Duration.ofSeconds(1)).build();
            return client.connect(uri);
        });
    }

    void drop(Endpoint reach) {
        StatefulRedisConnection<String, String> c = conns.remove(reach);
        if (c != null) {
            c.closeAsync();
        }
    }

    StatefulRedisSentinelConnection<String, String> sentinel(Endpoint reach) {
        RedisURI uri = RedisURI.builder().withHost(reach.host()).withPort(reach.port()).withTimeout(Duration.ofSeconds(2)).build();
        return client.connectSentinel(uri);
    }

    void destroyQuietly(String group) {
        try {
            backend.destroy(group, Progress.NONE);
        } catch (RuntimeException e) {
            System.err.println("cleanup of " + group + " failed: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        conns.values().forEach(StatefulRedisConnection::closeAsync);
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        // remove every service still labelled with this bed's groups is done per test; the network goes last
        removeNetwork(settings.dockerHost(), network);
        backend.close();
    }
}

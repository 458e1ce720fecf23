package rsc.backend;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * How this console was started.
 *
 * @param backend   {@code local}, {@code swarm}, or {@code auto}
 * @param stateDir  where the local backend keeps its nodes' state
 * @param group     the group current at start, or null: then the only group there is, else mymaster when it exists
 * @param image     the Redis image the Swarm backend runs
 * @param network   the overlay network the Swarm backend uses
 * @param dockerHost the Docker Engine to talk to, when not the default
 */
public record Settings(String backend, Path stateDir, String group, String image, String network,
                       Optional<String> dockerHost) {

    public static final String DEFAULT_GROUP = "mymaster";
    public static final String DEFAULT_IMAGE = "redis:7-alpine";
    public static final String DEFAULT_NETWORK = "rsc-net";

    /** Defaults from the environment: {@code RSC_STATE_DIR}, {@code RSC_BACKEND}, {@code RSC_IMAGE}, {@code DOCKER_HOST}. */
    public static Settings fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /** Defaults from {@code env}; the state directory is {@code $HOME/.rsc/local} unless {@code RSC_STATE_DIR} is set. */
    public static Settings fromEnvironment(Map<String, String> env) {
        Path state = Optional.ofNullable(env.get("RSC_STATE_DIR")).map(Path::of)
                .orElse(Home.of(env).resolve(".rsc").resolve("local"));
        return new Settings(
                Optional.ofNullable(env.get("RSC_BACKEND")).orElse("auto"),
                state,
                null,
                Optional.ofNullable(env.get("RSC_IMAGE")).map(i -> rsc.model.ImageName.check(i, "RSC_IMAGE")).orElse(DEFAULT_IMAGE),
                Optional.ofNullable(env.get("RSC_NETWORK")).orElse(DEFAULT_NETWORK),
                Optional.ofNullable(env.get("DOCKER_HOST")).filter(s -> !s.isBlank()));
    }

    public Settings withBackend(String b) {
        return new Settings(b, stateDir, group, image, network, dockerHost);
    }

    public Settings withStateDir(Path p) {
        return new Settings(backend, p, group, image, network, dockerHost);
    }

    public Settings withGroup(String g) {
        return new Settings(backend, stateDir, g, image, network, dockerHost);
    }

    public Settings withImage(String i) {
        return new Settings(backend, stateDir, group, i, network, dockerHost);
    }

    public Settings withNetwork(String n) {
        return new Settings(backend, stateDir, group, image, n, dockerHost);
    }
}

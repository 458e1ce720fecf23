package rsc.backend.swarm;

import com.github.dockerjava.api.DockerClient;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The swarm's secrets, through the Engine API: how a group's password reaches its tasks without an environment
 * variable or an argument (a file under {@code /run/secrets}, 0400). Immutable once made: a new password is a new secret.
 */
final class SwarmSecrets {

    private final String host;
    private final DockerClient docker;

    SwarmSecrets(String host, DockerClient docker) {
        this.host = host;
        this.docker = docker;
    }

    /** The id of the secret with this exact name, if it exists. */
    Optional<String> id(String name) {
        return call("list secrets", () -> docker.listSecretsCmd().withNameFilter(List.of(name)).exec()).stream()
                .filter(s -> s.getSpec() != null && name.equals(s.getSpec().getName())).map(s -> s.getId()).findFirst();
    }

    /** Creates a secret and returns its id (docker-java base64-encodes the value for the Engine API itself). */
    String create(String name, Map<String, String> labels, String asciiValue) {
        return call("create secret " + name, () -> docker.createSecretCmd(new com.github.dockerjava.api.model.SecretSpec()
                .withName(name).withLabels(labels).withData(asciiValue)).exec().getId());
    }

    /** Every secret whose name starts with {@code prefix}, name to id. */
    Map<String, String> ids(String prefix) {
        Map<String, String> out = new java.util.TreeMap<>();
        call("list secrets", () -> docker.listSecretsCmd().withNameFilter(List.of(prefix)).exec()).stream()
                .filter(s -> s.getSpec() != null && s.getSpec().getName() != null && s.getSpec().getName().startsWith(prefix))
                .forEach(s -> out.put(s.getSpec().getName(), s.getId()));
        return out;
    }

    /** Removes a secret; Swarm refuses while a service mounts it. */
    void remove(String id) {
        call("remove secret " + id, () -> {
            docker.removeSecretCmd(id).exec();
            return null;
        });
    }

    private <T> T call(String what, Supplier<T> action) {
        return DockerErrors.call(host, what, action);
    }
}

package rsc.backend.swarm;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Docker secrets that hold a group's password. A secret cannot change, so each password rotation adds one:
 * {@code rsc-G-password} (generation 1), then {@code rsc-G-password-2}, {@code -3}, ... The newest is what a node
 * started now mounts; during a rotation it is the staged one and the one before it the old, which the rotation's
 * end removes.
 */
final class GroupSecrets {

    /** One of a group's secrets. */
    record Generation(int number, String name, String id) {
        SwarmGateway.SecretRef ref() {
            return new SwarmGateway.SecretRef(id, name, ServiceStarter.SECRET_FILE);
        }
    }

    private GroupSecrets() {
    }

    static String base(String group) {
        return "rsc-" + group + "-password";
    }

    static String name(String group, int generation) {
        return generation <= 1 ? base(group) : base(group) + "-" + generation;
    }

    /** The generation a secret's name is of this group's, or 0 when it is not one of them. */
    static int generation(String group, String name) {
        if (name.equals(base(group))) {
            return 1;
        }
        String prefix = base(group) + "-";
        if (name.startsWith(prefix) && name.substring(prefix.length()).matches("[1-9][0-9]{0,8}")) {
            return Integer.parseInt(name.substring(prefix.length()));
        }
        return 0;
    }

    /** The group's secrets, oldest first. */
    static List<Generation> all(SwarmGateway gateway, String group) {
        Map<String, String> named = gateway.secrets().ids(base(group));
        return named.entrySet().stream().map(e -> new Generation(generation(group, e.getKey()), e.getKey(), e.getValue()))
                .filter(g -> g.number() > 0).sorted(Comparator.comparingInt(Generation::number)).toList();
    }

    /** The newest: what a node started now mounts. */
    static Optional<Generation> newest(SwarmGateway gateway, String group) {
        List<Generation> all = all(gateway, group);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }
}

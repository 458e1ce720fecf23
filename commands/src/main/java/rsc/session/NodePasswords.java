package rsc.session;

import rsc.backend.Backend;
import rsc.backend.attached.AttachedRegistry;
import rsc.model.Endpoint;
import rsc.model.Node;
import rsc.model.Secret;
import rsc.secrets.SecretStore;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Which password a group, or a node's address, needs: the one of the group it belongs to (data nodes and sentinels
 * share it). The Redis clients ask per address when they connect; an address not yet told ({@link #remember}) is
 * learned by listing every node once, so the session stays out of this bookkeeping and password lookups stay here.
 */
public final class NodePasswords {

    private final SecretStore secrets;
    private final Supplier<AttachedRegistry> attached;
    private final Supplier<Backend> placing;
    private final Supplier<Backend> backend;
    private final Map<Endpoint, String> groupAt = new ConcurrentHashMap<>();

    /**
     * @param placing the backend that places rsc's own nodes: listing attached groups asks their sentinels, which
     *                would ask for a password again
     * @param backend the session's backend, for reachable addresses
     */
    NodePasswords(SecretStore secrets, Supplier<AttachedRegistry> attached, Supplier<Backend> placing,
                  Supplier<Backend> backend) {
        this.secrets = secrets;
        this.attached = attached;
        this.placing = placing;
        this.backend = backend;
    }

    /** The group's password, when it has one. */
    public Optional<Secret> of(String group) {
        return secrets.find(group);
    }

    /** The password of the group the node at this address belongs to, when it has one. */
    Optional<Secret> at(Endpoint announced) {
        String group = groupAt.get(announced);
        if (group == null) {
            group = learnGroupOf(announced);
        }
        return group == null ? Optional.empty() : secrets.find(group);
    }

    /** Lists every node once to learn whose address this is; one lister at a time (a one-shot asks in parallel). */
    private String learnGroupOf(Endpoint announced) {
        synchronized (groupAt) {
            String group = groupAt.get(announced);
            if (group == null) {
                for (var g : attached.get().all()) {
                    g.sentinels().forEach(e -> groupAt.put(e, g.name()));
                }
                for (Node n : placing.get().nodes(null)) {
                    groupAt.put(n.announced(), n.group());
                    groupAt.putIfAbsent(backend.get().reachable(n.announced()), n.group());
                }
                group = groupAt.get(announced);
                if (group == null) {
                    group = groupAt.get(backend.get().reachable(announced));
                }
            }
            return group;
        }
    }

    /** Tells which group a node about to be reached belongs to (before the backend lists it). */
    public void remember(Endpoint announced, String group) {
        groupAt.put(announced, group);
    }

    /** Forgets the addresses of a group that is gone (its ports may serve another group later). */
    public void forget(String group) {
        groupAt.values().removeIf(group::equals);
    }
}

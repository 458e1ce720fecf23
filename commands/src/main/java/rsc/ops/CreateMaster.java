package rsc.ops;

import rsc.backend.NodeSpec;
import rsc.backend.Progress;
import rsc.error.RscException;
import rsc.model.Node;
import rsc.model.Persistence;
import rsc.model.Secret;
import rsc.model.NodeKind;
import rsc.result.CommandResult;
import rsc.session.Session;

import java.util.List;
import java.util.Optional;

/** Starts a group's first node as its master; cleans up when anything fails so no half-made group stays behind. */
public final class CreateMaster {

    private CreateMaster() {
    }

    /** What {@link #run} would do, for {@code --dry-run}. */
    public static CommandResult plan(Session session, String group, Optional<Integer> port, Optional<Secret> password,
                                     Persistence persistence) {
        List<Node> existing = session.backend().nodes(group);
        if (!existing.isEmpty()) {
            throw new RscException("group '" + group + "' already exists with " + existing.size() + " node(s)");
        }
        Plan p = new Plan("create-master " + group);
        p.backend(session.backend().name(), session.backend().planStart(NodeSpec.master(group, port, NodeConfig.redisDefaults())
                .withPassword(password).withPersistence(persistence), 0));
        p.redis(group + "-redis-1", "INFO replication (expect role:master)");
        return p.note("then '" + group + "' becomes the current group").result();
    }

    /**
     * @param password the group's password, or empty for {@code --no-auth}
     */
    public static CommandResult run(Session session, String group, Optional<Integer> port, Optional<Secret> password,
                                    Persistence persistence, Progress progress) {
        Node node = start(session, group, port, password, persistence, progress);
        session.console().use(group);
        CommandResult.Builder b = CommandResult.builder()
                .ok(node.name() + " is the master of " + group + " at " + node.reach()
                        + " (current group: " + group + ")");
        return report(session, b, group, node, port, password, persistence).build();
    }

    /**
     * Starts the master of a new group (refusing one that exists) and checks that it says {@code role:master}; on
     * failure removes what it made. The caller makes the group current.
     */
    static Node start(Session session, String group, Optional<Integer> port, Optional<Secret> password,
                      Persistence persistence, Progress progress) {
        List<Node> existing = session.backend().nodes(group);
        if (!existing.isEmpty()) {
            throw new RscException("group '" + group + "' already exists with " + existing.size()
                    + " node(s): 'use " + group + "' to work with it, or 'destroy " + group + "' first");
        }
        session.passwords().forget(group);
        if (password.isPresent()) {
            session.secrets().save(group, password.get());
        } else {
            session.secrets().forget(group);
        }
        NodeSpec spec = NodeSpec.master(group, port, NodeConfig.redisDefaults()).withPassword(password)
                .withPersistence(persistence);
        if (port.isPresent()) {
            spec = spec.withExactPort();
        }
        Node node;
        try {
            node = session.backend().start(spec, progress);
        } catch (RuntimeException e) {
            session.secrets().forget(group);
            throw e;
        }
        try {
            var repl = session.redis().node(node.announced()).replication();
            if (!repl.isMaster()) {
                throw new RscException(node.name() + " started but reports role " + repl.role().word() + ", not master");
            }
        } catch (RuntimeException e) {
            session.redis().forget(node.announced());
            session.backend().remove(node);
            session.secrets().forget(group);
            throw e;
        }
        return node;
    }

    /** What every new master's result says: where it runs, the port it took, the password, what to do next. */
    static CommandResult.Builder report(Session session, CommandResult.Builder b, String group, Node node,
                                        Optional<Integer> port, Optional<Secret> password, Persistence persistence) {
        Spread.report(b, List.of(node), List.of(node));
        int wanted = NodeKind.REDIS.standardPort();
        if (port.isEmpty() && node.reach().port() != wanted && "local".equals(session.backend().name())) {
            b.info("port " + wanted + " is in use, so it took the next free one: " + node.reach().port());
        }
        if (password.isPresent()) {
            b.info("every node and sentinel of " + group + " requires a password; the console keeps it, readable only by you");
        } else {
            b.warn(group + " has NO password (--no-auth): anyone who reaches its ports can read and change its data");
        }
        b.info(PersistenceText.created(session.backend().name(), persistence));
        b.info("next: 'scale slaves 2' and 'scale sentinels 3'");
        return b;
    }
}

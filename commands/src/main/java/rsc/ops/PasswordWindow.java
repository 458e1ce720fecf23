package rsc.ops;

import rsc.backend.Progress;
import rsc.error.RscException;
import rsc.model.Node;
import rsc.model.Secret;
import rsc.redis.PasswordCommands;
import rsc.secrets.Rotation;
import rsc.session.Session;

import java.util.List;

/**
 * The Redis and Sentinel side of a password rotation: opening the window (the new password works beside the old on
 * every node and sentinel, and is what they give each other), keeping it across restarts, and closing it (the old
 * one refused). Every call can be made again: a second run repeats what an interrupted one may have done.
 */
final class PasswordWindow {

    private final Session session;
    private final Group group;
    private final Rotation rotation;
    private final Progress progress;

    PasswordWindow(Session session, Group group, Rotation rotation, Progress progress) {
        this.session = session;
        this.group = group;
        this.rotation = rotation;
        this.progress = progress;
    }

    /**
     * Every node and sentinel accepts the new password first, and only then does anyone give it: masterauth on the
     * data nodes, auth-pass for the data nodes and sentinel-pass for the peers on the sentinels.
     */
    void open() throws InterruptedException {
        Secret next = rotation.next();
        each(group.redis(), "accepts the new password beside the old", n -> data(n).add(next));
        each(group.sentinels(), "accepts the new password beside the old", n -> sentinel(n).add(next));
        each(group.redis(), "authenticates to its master with the new password", n -> data(n).masterauth(next));
        each(group.sentinels(), "authenticates to the nodes and its peers with the new password", n -> {
            sentinel(n).authPass(group.name(), next);
            sentinel(n).sentinelPass(next);
        });
        verify(next, true, "the new password");
    }

    /** Writes what each node and sentinel holds now into its own config, so a restart comes back with it. */
    void keep() throws InterruptedException {
        each(group.redis(), "config rewritten (CONFIG REWRITE)", n -> data(n).rewriteConfig());
        each(group.sentinels(), "config rewritten (SENTINEL FLUSHCONFIG)", n -> sentinel(n).flushConfig());
    }

    /** The old password removed everywhere and the configs rewritten without it; then checked on fresh connections. */
    void close() throws InterruptedException {
        Secret old = rotation.old();
        Secret next = rotation.next();
        each(group.redis(), "refuses the old password", n -> {
            data(n).remove(old);
            data(n).requirepass(next);     // requirepass as CONFIG REWRITE writes it: the new one
            data(n).rewriteConfig();
        });
        each(group.sentinels(), "refuses the old password", n -> {
            sentinel(n).remove(old);
            sentinel(n).flushConfig();
        });
        verify(old, false, "the old password");
        verify(next, true, "the new password");
    }

    /** Each node and sentinel, on a fresh connection, lets {@code password} in (or refuses it). */
    private void verify(Secret password, boolean accepted, String what) throws InterruptedException {
        for (Node n : group.nodes()) {
            checkInterrupted();
            if (session.redis().accepts(n.announced(), password) != accepted) {
                throw new RscException(n.name() + (accepted ? " refuses " : " still accepts ") + what
                        + " on a fresh connection");
            }
        }
        progress.update(group.name() + ": every node and sentinel " + (accepted ? "accepts " : "refuses ") + what
                + " on a fresh connection");
    }

    private PasswordCommands data(Node n) {
        return session.redis().node(n.announced()).passwords();
    }

    private PasswordCommands sentinel(Node n) {
        return session.redis().sentinel(n.announced()).passwords();
    }

    private interface NodeCall {
        void on(Node n);
    }

    private void each(List<Node> nodes, String what, NodeCall call) throws InterruptedException {
        int i = 0;
        for (Node n : nodes) {
            checkInterrupted();
            call.on(n);
            progress.update(group.name() + ": " + n.name() + " " + what + " (" + ++i + "/" + nodes.size() + ")");
        }
    }

    private static void checkInterrupted() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }

    /** The calls {@link #open}, {@link #keep} and {@link #close} make, for {@code --dry-run}; secrets as such. */
    static void plan(Plan p, Group group) {
        String g = group.name();
        group.redis().forEach(n -> p.redis(n.name(), "ACL SETUSER default ><new secret>"));
        group.sentinels().forEach(n -> p.redis(n.name(), "ACL SETUSER default ><new secret>"));
        group.redis().forEach(n -> p.redis(n.name(), "CONFIG SET masterauth <new secret>"));
        group.sentinels().forEach(n -> p.redis(n.name(), "SENTINEL SET " + g + " auth-pass <new secret>; "
                + "SENTINEL CONFIG SET sentinel-pass <new secret>"));
        p.await("every node and sentinel lets the new password in on a fresh connection; replicas linked; CKQUORUM OK");
    }

    static void planKeep(Plan p, Group group) {
        group.redis().forEach(n -> p.redis(n.name(), "CONFIG REWRITE"));
        group.sentinels().forEach(n -> p.redis(n.name(), "SENTINEL FLUSHCONFIG"));
    }

    static void planClose(Plan p, Group group) {
        group.redis().forEach(n -> p.redis(n.name(), "ACL SETUSER default <<old secret>; CONFIG SET requirepass <new secret>; CONFIG REWRITE"));
        group.sentinels().forEach(n -> p.redis(n.name(), "ACL SETUSER default <<old secret>; SENTINEL FLUSHCONFIG"));
        p.await("every node and sentinel refuses the old password and lets the new one in on a fresh connection");
    }
}

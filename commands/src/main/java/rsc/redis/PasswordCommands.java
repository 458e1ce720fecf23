package rsc.redis;

import rsc.error.RscException;
import rsc.model.Secret;

import java.util.List;
import java.util.function.Consumer;

/**
 * The commands that change a node's or a sentinel's passwords during a rotation. Redis 7 lets the default user hold
 * several passwords ({@code >pw} adds one, {@code <pw} removes one), which is what makes a window in which the old and
 * the new both work. An error reply can quote its arguments (a password), so every failure is rewritten with each
 * secret as {@code <secret>}.
 */
public final class PasswordCommands {

    private final Consumer<List<String>> send;

    PasswordCommands(Consumer<List<String>> send) {
        this.send = send;
    }

    /** {@code ACL SETUSER default >pw}: pw works from now on, beside the passwords already held. */
    public void add(Secret pw) {
        run(pw, "ACL", "SETUSER", "default", ">" + pw.reveal());
    }

    /** {@code ACL SETUSER default <pw}; false when the user held no such password (removed before). */
    public boolean remove(Secret pw) {
        try {
            run(pw, "ACL", "SETUSER", "default", "<" + pw.reveal());
            return true;
        } catch (RscException e) {
            if (e.getMessage().contains("does not exist")) {
                return false;
            }
            throw e;
        }
    }

    /** Data node: {@code CONFIG SET masterauth pw}, what it gives its master on its next (re)connection. */
    public void masterauth(Secret pw) {
        run(pw, "CONFIG", "SET", "masterauth", pw.reveal());
    }

    /** Data node: {@code CONFIG SET requirepass pw}, which leaves the default user pw and only pw. */
    public void requirepass(Secret pw) {
        run(pw, "CONFIG", "SET", "requirepass", pw.reveal());
    }

    /** Data node: {@code CONFIG REWRITE}, so a restart reads back the passwords held now. */
    public void rewriteConfig() {
        run(null, "CONFIG", "REWRITE");
    }

    /** Sentinel: {@code SENTINEL SET group auth-pass pw}, what it gives the group's data nodes. */
    public void authPass(String group, Secret pw) {
        run(pw, "SENTINEL", "SET", group, "auth-pass", pw.reveal());
    }

    /** Sentinel: {@code SENTINEL CONFIG SET sentinel-pass pw}, what it gives its peer sentinels. */
    public void sentinelPass(Secret pw) {
        run(pw, "SENTINEL", "CONFIG", "SET", "sentinel-pass", pw.reveal());
    }

    /** Sentinel: {@code SENTINEL FLUSHCONFIG}, so a restart reads back the passwords held now. */
    public void flushConfig() {
        run(null, "SENTINEL", "FLUSHCONFIG");
    }

    private void run(Secret pw, String... words) {
        try {
            send.accept(List.of(words));
        } catch (RscException e) {
            String text = String.valueOf(e.getMessage());
            throw new RscException(pw == null ? text : text.replace(pw.reveal(), "<secret>"));
        }
    }
}

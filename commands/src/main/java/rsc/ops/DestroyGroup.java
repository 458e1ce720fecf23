package rsc.ops;

import rsc.error.RscException;
import rsc.result.CommandResult;
import rsc.session.Session;

import java.util.List;

/**
 * {@code destroy}: stops and removes every node of a group rsc placed, with their data; an attached group (which rsc
 * did not place) is only forgotten, with {@code --force}, and none of its nodes is touched. {@link #plan} takes the
 * same branch {@link #run} takes, so {@code --dry-run} never lists removals that would not happen.
 */
public final class DestroyGroup {

    private DestroyGroup() {
    }

    /** What {@link #run} would do, for {@code --dry-run}; asks nothing. */
    public static CommandResult plan(Session session, String group, boolean force) {
        Group.require(session, group);
        Plan p = new Plan("destroy " + group);
        if (forgetsOnly(session, group, force)) {
            return p.redis("rsc", "forget the attached group " + group + ", its password and its connections"
                    + " (none of its nodes is touched)").result();
        }
        return p.backend(session.backend().name(), session.backend().planDestroy(group)).result();
    }

    /** Destroys the group; without {@code yes} an interactive console asks first and a script is refused. */
    public static CommandResult run(Session session, String g, boolean force, boolean yes) {
        Group group = Group.require(session, g);
        if (forgetsOnly(session, g, force)) {
            session.attached().forget(g);
            session.secrets().forget(g);
            session.passwords().forget(g);
            session.console().groupGone(g);
            return CommandResult.ok("forgot the attached group '" + g + "'; its nodes were not touched");
        }
        if (!yes) {
            if (!session.ui().interactive()) {
                throw new RscException("destroy removes " + group.nodes().size() + " node(s) of '" + g
                        + "' and their data: add --yes to do it without a question");
            }
            if (!session.ui().confirm("destroy '" + g + "': stop and remove " + group.nodes().size()
                    + " node(s) and their data?")) {
                return CommandResult.info("nothing destroyed");
            }
        }
        group.nodes().forEach(n -> {
            session.redis().forget(n.announced());
            session.redis().forgetSentinel(n.announced());
        });
        List<String> left = session.backend().destroy(g, session.ui().progress());
        session.secrets().forget(g);
        session.passwords().forget(g);
        session.console().groupGone(g);
        String now = session.console().currentGroup().map(c -> "; current group: " + c).orElse("");
        CommandResult.Builder b = CommandResult.builder().ok("destroyed '" + g + "': removed " + group.nodes().size()
                + " node(s)" + now);
        left.forEach(b::warn);
        return b.build();
    }

    /** Whether the group is attached, so destroy only forgets it; without {@code force} that is refused. */
    private static boolean forgetsOnly(Session session, String g, boolean force) {
        if (session.attached().find(g).isEmpty()) {
            return false;
        }
        if (!force) {
            throw new RscException("'" + g + "' is attached: rsc did not create it and destroys none of its nodes; "
                    + "'destroy " + g + " --force' (or 'detach " + g + "') forgets it");
        }
        return true;
    }
}

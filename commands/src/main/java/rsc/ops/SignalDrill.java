package rsc.ops;

import rsc.backend.Signal;
import rsc.model.Node;
import rsc.result.CommandResult;
import rsc.result.Severity;
import rsc.session.Session;

/**
 * The drills {@code kill}, {@code pause} and {@code resume}: one signal to one node of a group, named as
 * {@code master}, {@code replica} or by name. {@link #plan} resolves the same node {@link #run} would signal, so
 * {@code --dry-run} names the node and the calls that run.
 */
public final class SignalDrill {

    private SignalDrill() {
    }

    /** What {@link #run} would do, for {@code --dry-run}: the node is resolved now, nothing is sent. */
    public static CommandResult plan(Session session, String command, String group, String target, Signal signal)
            throws InterruptedException {
        Node node = target(session, group, target, signal);
        return new Plan(command + " " + node.name())
                .backend(session.backend().name(), session.backend().planSignal(node, signal)).result();
    }

    /** Sends {@code signal} to the node {@code target} names and notes it on the timeline as {@code rsc-COMMAND}. */
    public static CommandResult run(Session session, String command, String group, String target, Signal signal)
            throws InterruptedException {
        session.followNow();
        Node node = target(session, group, target, signal);
        session.backend().signal(node, signal);
        session.redis().forget(node.announced());
        session.redis().forgetSentinel(node.announced());
        String what = switch (signal) {
            case KILL -> "killed";
            case TERM -> "terminated";
            case STOP -> "paused";
            case CONT -> "resumed";
        };
        session.events().note(node.group(), "rsc-" + command, node.name() + " " + what + " (" + signal + ")",
                signal == Signal.CONT ? Severity.OK : Severity.WARN);
        return CommandResult.ok(what + " " + node.name() + " (" + node.reach() + ")"
                + (signal == Signal.KILL && "swarm".equals(session.backend().name()) ? "; Swarm will restart its task" : ""));
    }

    /** resume thaws what is frozen; the other drills act on what runs now under the name given. */
    private static Node target(Session session, String group, String word, Signal signal) throws InterruptedException {
        return signal == Signal.CONT ? Targets.resolveFrozen(session, group, word) : Targets.resolve(session, group, word);
    }
}

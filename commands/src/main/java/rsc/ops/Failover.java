package rsc.ops;

import rsc.backend.Progress;
import rsc.result.CommandResult;
import rsc.session.Session;

import java.util.Locale;

/**
 * The operator's {@code failover}: a {@link MasterSwitch} (writes paused unless {@code --no-pause}), answered once
 * the sentinels publish {@code +switch-master}, the moment clients are told of the new master.
 */
public final class Failover {

    private Failover() {
    }

    public static CommandResult plan(Session session, String groupName, MasterSwitch.Request request) throws InterruptedException {
        return MasterSwitch.plan(session, groupName, request).result();
    }

    public static CommandResult run(Session session, String groupName, MasterSwitch.Request request, Progress progress)
            throws InterruptedException {
        MasterSwitch.Outcome o = MasterSwitch.run(session, groupName, request, progress);
        // +switch-master is when clients are told: return now. The leader still reconfigures the other replicas
        // (about a second, polled by Sentinel); 'wait agreement' waits for that, and the next failover does too.
        String agreement = o.agreeing() == o.sentinels() ? "all " + o.agreeing() + " sentinel(s) agree"
                : o.agreeing() + "/" + o.sentinels() + " sentinel(s) agree so far; the leader is reconfiguring the "
                + "replicas ('wait agreement' waits for all)";
        CommandResult.Builder b = CommandResult.builder()
                .ok("failover of " + groupName + ": " + o.from() + " -> " + o.to() + " in "
                        + String.format(Locale.ROOT, "%.1f s", o.seconds()) + "; " + agreement
                        + (o.paused() ? "; writes paused " + o.heldMs() + " ms (bound " + o.boundMs() + " ms)" : ""));
        for (String note : o.notes()) {
            if (note.startsWith("writes were not paused")) {
                b.warn(note);
            } else {
                b.info(note);
            }
        }
        return b.build();
    }
}

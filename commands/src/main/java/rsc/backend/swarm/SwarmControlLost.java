package rsc.backend.swarm;

import rsc.error.RscException;

/**
 * The engine is a manager that reaches no majority of the swarm's managers: Swarm has no leader here, so it can
 * neither list nor change services from this machine. Told apart from other Docker failures because rsc then still
 * shows what runs on this machine ({@link MinorityView}) instead of nothing.
 */
final class SwarmControlLost extends RscException {

    /** What the engine says when it has no leader, and when the leader did not answer (a manager just cut off). */
    private static final java.util.List<String> ENGINE_TEXTS = java.util.List.of("does not have a leader",
            "DeadlineExceeded");

    /** The engine's own message ({@link #says} it) as the reason. */
    static SwarmControlLost fromEngine(String what, String engineMessage, Throwable cause) {
        return new SwarmControlLost(what, engineMessage.contains("DeadlineExceeded")
                ? "the manager's request to its leader timed out" : "the swarm has no leader", cause);
    }

    /** {@code reason}: why rsc concluded that Swarm's control plane is out of reach, as a phrase. */
    SwarmControlLost(String what, String reason, Throwable cause) {
        super("swarm: no leader answers (" + reason + "): Swarm can neither list nor change services from here (cannot "
                + what + "); either the managers are electing a leader (some seconds, after a manager left or rejoined: "
                + "try again) or this manager reaches no majority of them, and if the others still form a majority they run "
                + "the swarm and reschedule this machine's tasks elsewhere: run rsc on one of them", cause);
    }

    /** Whether the engine's message says that Swarm's control plane is out of reach from this manager. */
    static boolean says(String engineMessage) {
        return ENGINE_TEXTS.stream().anyMatch(engineMessage::contains);
    }
}

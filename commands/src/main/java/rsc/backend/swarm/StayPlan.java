package rsc.backend.swarm;

import java.util.List;

/** How a dry run says that an update keeps the new task on the old one's swarm node ({@link TaskReplacement}). */
final class StayPlan {

    private StayPlan() {
    }

    static String of(List<String> constraints) {
        return constraints.isEmpty() ? "" : "; TaskTemplate.Placement.Constraints " + String.join(",", constraints)
                + " (the new task stays on this swarm node; cleared once it is placed)";
    }
}

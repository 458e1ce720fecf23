package rsc.backend.swarm;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * The host port a new node's service publishes, fixed in its spec rather than left for the engine to choose: Swarm
 * forgets a task's randomly chosen port when its managers elect another leader (every running task then reports an
 * empty port status), and a port written in the spec still says where the task listens, on whichever swarm node it
 * runs. Taken below Linux's ephemeral range (32768 and up), where the engine's own random choices and outgoing
 * connections live, and distinct from every port a service of the swarm already publishes.
 */
final class HostPorts {

    static final int FIRST = 30000;
    static final int LAST = 32767;
    static final String RANGE = FIRST + "-" + LAST;

    private HostPorts() {
    }

    /** The first port of the range that no service publishes; one-line error when every one is taken. */
    static int choose(Collection<SwarmService> services) {
        Set<Integer> taken = new HashSet<>();
        services.forEach(s -> taken.addAll(s.publishedPorts().values()));
        for (int p = FIRST; p <= LAST; p++) {
            if (!taken.contains(p)) {
                return p;
            }
        }
        throw new rsc.error.RscException("no free host port left in " + RANGE + ": every one is published by a service");
    }
}

package rsc.backend.local;

import rsc.backend.NodeSpec;
import rsc.error.RscException;
import rsc.model.NodeKind;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Where a new local node goes: its index in its group (its name) and its port, checked free on this machine. */
final class LocalPlacement {

    private static final String HOST = LocalBackend.HOST;

    private LocalPlacement() {
    }

    /** The lowest index no node of this group and kind has: a name is never given to another port. */
    static int nextIndex(List<NodeRecord> existing, String group, NodeKind kind) {
        Set<Integer> used = new HashSet<>();
        for (NodeRecord r : existing) {
            if (r.group().equals(group) && r.kind() == kind) {
                used.add(r.index());
            }
        }
        int i = 1;
        while (used.contains(i)) {
            i++;
        }
        return i;
    }

    /** The port asked for (exactly, or the first free from it), else the first free from the kind's standard port. */
    static int choosePort(NodeSpec spec, List<NodeRecord> existing) {
        Set<Integer> taken = new HashSet<>();
        existing.forEach(r -> taken.add(r.port()));
        if (spec.firstPort().isPresent()) {
            int p = spec.firstPort().get();
            if (spec.exactPort() && (taken.contains(p) || !Ports.free(HOST, p))) {
                throw new RscException("port " + p + " is in use: choose another --port, or leave it out to take the next free one");
            }
            for (int candidate = p; candidate <= Math.min(65535, p + 1000); candidate++) {
                if (!taken.contains(candidate) && Ports.free(HOST, candidate)) {
                    return candidate;
                }
            }
            throw new RscException("no free port from " + p + " to " + Math.min(65535, p + 1000));
        }
        int standard = spec.kind().standardPort();
        for (int candidate = standard; candidate < standard + 1000; candidate++) {
            if (!taken.contains(candidate) && Ports.free(HOST, candidate)) {
                return candidate;
            }
        }
        throw new RscException("no free port from " + standard + " to " + (standard + 999));
    }
}

package rsc.ops;

import rsc.model.Persistence;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** What rsc tells an operator about persistence: at {@code create-master}, and in {@code status} from the nodes. */
public final class PersistenceText {

    private PersistenceText() {
    }

    /** The line {@code create-master} adds: what the choice protects on this backend. */
    public static String created(String backend, Persistence p) {
        boolean swarm = "swarm".equals(backend);
        return switch (p) {
            case NONE -> "no persistence (the default): a data node that restarts comes back empty and copies its "
                    + "master ('create-master --persistence aof' keeps the data on disk)";
            case AOF -> "persistence aof: every data node writes an append-only file, fsynced every second, "
                    + where(swarm);
            case RDB -> "persistence rdb: every data node writes snapshots (after 1 h if 1 key changed, 5 min if 100, "
                    + "1 min if 10000, and at a clean shutdown) " + where(swarm);
        };
    }

    private static String where(boolean swarm) {
        return swarm ? "on a volume of its own (local driver): it survives a restart on the same swarm node, not a "
                + "move to another one (the task starts there empty and copies its master)"
                : "in its own data directory, which 'start NODE' finds again";
    }

    /**
     * One line naming what each data node persists, as the nodes themselves report it; empty when none answered.
     * Nodes that agree are named together.
     */
    public static Optional<String> status(List<GroupStatus.NodeView> nodes) {
        Map<String, List<String>> byWhat = new TreeMap<>();
        for (GroupStatus.NodeView n : nodes) {
            n.persistence().ifPresent(p -> byWhat.computeIfAbsent(p, k -> new java.util.ArrayList<>()).add(n.node().name()));
        }
        if (byWhat.isEmpty()) {
            return Optional.empty();
        }
        if (byWhat.size() == 1 && byWhat.containsKey("none")) {
            return Optional.of("every data node that answers runs without persistence (save \"\", appendonly no): "
                    + "a node that restarts comes back empty and copies its master");
        }
        StringBuilder b = new StringBuilder("persistence, as each node reports it: ");
        String sep = "";
        for (Map.Entry<String, List<String>> e : byWhat.entrySet()) {
            b.append(sep).append(e.getKey()).append(" on ").append(String.join(", ", e.getValue()));
            sep = "; ";
        }
        return Optional.of(b.toString());
    }
}

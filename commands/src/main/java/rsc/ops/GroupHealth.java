package rsc.ops;

import rsc.model.Node;
import rsc.session.GroupProbe;
import rsc.session.Session;
import rsc.model.Topology;

import java.util.List;

/** The topology cache's {@link GroupProbe}: the master as clients find it, healthy when every node runs and follows. */
public final class GroupHealth {

    private GroupHealth() {
    }

    public static GroupProbe.Found probe(Session session, String group, List<Node> nodes) throws InterruptedException {
        var located = MasterLocator.locate(session, group, nodes);
        boolean allRunning = nodes.stream().allMatch(n -> n.state().running());
        boolean allFollow = located.isPresent() && allRunning
                && ReplicaLinks.masterHoldsAll(session, located.get().address(), nodes);
        return new GroupProbe.Found(located.map(MasterLocator.Located::address), located.isEmpty()
                ? Topology.Health.DOWN : allFollow ? Topology.Health.OK : Topology.Health.DEGRADED);
    }
}

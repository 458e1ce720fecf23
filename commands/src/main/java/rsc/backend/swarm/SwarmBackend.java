package rsc.backend.swarm;

import rsc.backend.Backend;
import rsc.backend.NodeSpec;
import rsc.backend.Progress;
import rsc.backend.Signal;
import rsc.command.RscException;
import rsc.model.Endpoint;
import rsc.model.Node;
import rsc.session.Settings;

import java.util.List;

/** PLACEHOLDER: replaced by the real docker-java backend. */
public final class SwarmBackend implements Backend {

    public SwarmBackend(Settings settings) {
        throw new RscException("the swarm backend is not built yet");
    }

    public static boolean probe(Settings settings) {
        return false;
    }

    @Override public String name() { return "swarm"; }
    @Override public String describe() { return "swarm"; }
    @Override public List<Node> nodes(String group) { return List.of(); }
    @Override public List<String> groups() { return List.of(); }
    @Override public Node start(NodeSpec spec, Progress progress) { throw new UnsupportedOperationException(); }
    @Override public void remove(Node node) { }
    @Override public void signal(Node node, Signal signal) { }
    @Override public void destroy(String group, Progress progress) { }
    @Override public Endpoint reachable(Endpoint announced) { return announced; }
}

package rsc.backend.local;

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
public final class LocalBackend implements Backend {

    public LocalBackend(Settings settings) {
        throw new RscException("the local backend is not built yet");
    }

    @Override public String name() { return "local"; }
    @Override public String describe() { return "local"; }
    @Override public List<Node> nodes(String group) { return List.of(); }
    @Override public List<String> groups() { return List.of(); }
    @Override public Node start(NodeSpec spec, Progress progress) { throw new UnsupportedOperationException(); }
    @Override public void remove(Node node) { }
    @Override public void signal(Node node, Signal signal) { }
    @Override public void destroy(String group, Progress progress) { }
    @Override public Endpoint reachable(Endpoint announced) { return announced; }
}

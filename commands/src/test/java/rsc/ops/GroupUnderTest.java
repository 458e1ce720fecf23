package rsc.ops;

import rsc.model.Node;
import rsc.session.Engine;
import rsc.session.Outcome;
import rsc.testing.RedisCli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One running group as the fault tests see it, whichever backend placed it: the console that drives it, its running
 * nodes, and a fresh {@code redis-cli} to check it with. {@link Faults} runs the same fault on either backend.
 */
record GroupUnderTest(Supplier<String> name, Supplier<Engine> console, Function<String, Outcome> okLine,
                      Supplier<List<Node>> runningData, Supplier<List<Node>> runningSentinels,
                      BiFunction<Node, String[], String> redisCli, Supplier<Node> sentinelsMaster) {

    String group() {
        return name.get();
    }

    Engine engine() {
        return console.get();
    }

    /** Runs a console line that must succeed. */
    Outcome ok(String line) {
        return okLine.apply(line);
    }

    /** Running data nodes. */
    List<Node> dataNodes() {
        return runningData.get();
    }

    /** Running sentinels. */
    List<Node> sentinels() {
        return runningSentinels.get();
    }

    /** A fresh redis-cli at the node, with the group's password; {@code "(timeout)"} when frozen. */
    String cli(Node n, String... args) {
        return redisCli.apply(n, args);
    }

    /** The master as the first running sentinel names it. */
    Node masterBySentinels() {
        return sentinelsMaster.get();
    }

    /** The data nodes that answer ROLE with master. */
    List<String> rolesMaster() {
        List<String> out = new ArrayList<>();
        for (Node n : dataNodes()) {
            if (cli(n, "ROLE").startsWith("master")) {
                out.add(n.name());
            }
        }
        return out;
    }

    /** config-epoch of the group on every running sentinel. */
    Map<String, Long> epochs() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Node s : sentinels()) {
            out.put(s.name(), Long.parseLong(RedisCli.every(cli(s, "SENTINEL", "MASTER", group()), "config-epoch").get(0)));
        }
        return out;
    }
}

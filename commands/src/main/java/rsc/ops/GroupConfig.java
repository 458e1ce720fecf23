package rsc.ops;

import rsc.backend.Progress;
import rsc.error.RscException;
import rsc.error.UsageException;
import rsc.model.Node;
import rsc.redis.RedisNodeClient;
import rsc.redis.RespError;
import rsc.result.CommandResult;
import rsc.result.Severity;
import rsc.result.Table;
import rsc.session.Session;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code config set|get}: one Redis parameter on every data node of a group. A set is checked on the first node
 * (Redis refuses a bad value there, before any other node changed), then made on the others, written to each node's
 * config file ({@code CONFIG REWRITE}, what the local backend restarts from) and read back from every node.
 */
public final class GroupConfig {

    private GroupConfig() {
    }

    public static CommandResult set(Session session, String g, String param, String value, Progress progress)
            throws InterruptedException {
        String p = checked(param);
        Group group = Group.require(session, g);
        List<Node> nodes = running(group);
        Map<String, String> before = known(session, nodes, p);
        List<String> failed = new ArrayList<>();
        List<String> noFile = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            stopIfInterrupted(nodes, i, "config set " + p + " " + value);
            progress.update("CONFIG SET " + p + " on " + n.name() + " (" + (i + 1) + "/" + nodes.size() + ")");
            try {
                RedisNodeClient c = session.redis().node(n.announced());
                c.configSet(p, value);
                if (!c.configRewrite()) {
                    noFile.add(n.name());
                }
            } catch (RespError e) {
                if (i == 0) {
                    throw new RscException(n.name() + " refused CONFIG SET " + p + ": " + e.text() + " (no node was changed)");
                }
                failed.add(n.name() + " refused it: " + e.text());
            } catch (RuntimeException e) {
                failed.add(n.name() + " did not answer: " + e.getMessage());
            }
        }
        Map<String, String> after = values(session, nodes, p);
        String wanted = after.get(nodes.get(0).name());
        Table.Builder t = Table.ofGroup(g, "config", "node", "before", "now");
        for (Node n : nodes) {
            String now = after.get(n.name());
            t.row(n.name(), shown(p, before.get(n.name())),
                    new Table.Cell(shown(p, now), wanted != null && wanted.equals(now) ? Severity.OK : Severity.ERROR));
            if (now == null || !now.equals(wanted)) {
                failed.add(n.name() + " reports " + shown(p, now) + ", not " + shown(p, wanted));
            }
        }
        CommandResult.Builder b = CommandResult.builder().add(t.build());
        failed.stream().distinct().forEach(b::error);
        stopped(group).forEach(n -> b.warn(n.name() + " is not running: it copies " + p + " from its master when it starts again"));
        if (!noFile.isEmpty()) {
            b.warn(String.join(", ", noFile) + " refused CONFIG REWRITE (no config file of its own): the value holds until "
                    + "it restarts, unless it copies it from its master then");
        }
        if (failed.isEmpty()) {
            b.ok(g + ": " + p + " is " + shown(p, wanted) + " on all " + nodes.size() + " running data node(s); "
                    + keptBy(session));
        } else {
            b.failed();
        }
        return b.build();
    }

    public static CommandResult plan(Session session, String g, String param, String value) throws InterruptedException {
        String p = checked(param);
        Group group = Group.require(session, g);
        List<Node> nodes = running(group);
        known(session, nodes, p);
        Plan plan = new Plan("config set " + p + " on " + g);
        for (Node n : nodes) {
            plan.redis(n.name(), "CONFIG SET " + p + " " + (LiveConfig.secret(p) ? "<secret>" : value));
            plan.redis(n.name(), "CONFIG REWRITE");
        }
        plan.await("every running data node reports the same " + p + " (CONFIG GET)");
        plan.note("the first node checks the value: if it refuses, no other node is changed");
        plan.note("kept when a node restarts: " + keptBy(session));
        stopped(group).forEach(n -> plan.note(n.name() + " is not running: it copies " + p + " from its master when it starts again"));
        return plan.result();
    }

    /** {@code config get}: each running data node's value of every parameter the pattern matches, differences flagged. */
    public static CommandResult get(Session session, String g, String pattern) throws InterruptedException {
        Group group = Group.require(session, g);
        List<Node> nodes = running(group);
        var answers = Fanout.ask(session.pool(), nodes, n -> session.redis().node(n.announced()).configGetAll(pattern), 3000);
        Map<String, Map<String, String>> byParam = new TreeMap<>();
        CommandResult.Builder b = CommandResult.builder();
        for (var a : answers) {
            if (!a.ok()) {
                b.error(a.input().name() + " did not answer: " + a.error());
                continue;
            }
            a.value().forEach((k, v) -> byParam.computeIfAbsent(k, x -> new LinkedHashMap<>()).put(a.input().name(), v));
        }
        if (byParam.isEmpty() && answers.stream().anyMatch(Fanout.Answer::ok)) {
            throw new RscException("no parameter matches '" + pattern + "' ('config get *' lists them)");
        }
        Table.Builder t = Table.ofGroup(g, "config", "parameter", "node", "value");
        for (var e : byParam.entrySet()) {
            // a parameter each node owns (its port, its files) differs by design: shown, not flagged
            boolean differs = LiveConfig.groupWide(e.getKey())
                    && (e.getValue().values().stream().distinct().count() > 1 || e.getValue().size() < nodes.size());
            e.getValue().forEach((node, v) -> t.row(e.getKey(), node,
                    new Table.Cell(shown(e.getKey(), v), differs ? Severity.WARN : Severity.OK)));
            if (differs) {
                b.warn(e.getKey() + " differs between the data nodes: " + e.getValue().entrySet().stream()
                        .map(x -> x.getKey() + " " + shown(e.getKey(), x.getValue())).toList());
            }
        }
        CommandResult.Builder out = CommandResult.builder().add(t.build());
        b.build().blocks().forEach(out::add);
        if (answers.stream().anyMatch(a -> !a.ok())) {
            out.failed();
        }
        return out.build();
    }

    /** Ctrl-C between two nodes: says which have the new value; the same command again sets the rest. */
    static void stopIfInterrupted(List<Node> nodes, int done, String command) {
        if (Thread.currentThread().isInterrupted()) {
            throw new rsc.error.CancelledException("interrupted: " + (done == 0 ? "no node was changed"
                    : "changed on " + String.join(", ", nodes.subList(0, done).stream().map(Node::name).toList())
                    + ", not yet on " + String.join(", ", nodes.subList(done, nodes.size()).stream().map(Node::name).toList())
                    + "; '" + command + "' again sets the rest"));
        }
    }

    /** What keeps a value across a restart on this session's backend, in words. */
    static String keptBy(Session session) {
        return session.placingBackend().name().equals("swarm")
                ? "a task Swarm restarts copies it from the master it follows"
                : "written to each node's config file (CONFIG REWRITE), which a restart reads";
    }

    /** The parameter in lower case, after refusing what rsc owns and what is not one parameter name. */
    static String checked(String param) {
        String p = param.toLowerCase(Locale.ROOT);
        if (!p.matches("[a-z][a-z0-9_-]*")) {
            throw new UsageException("PARAM must be one parameter name such as maxmemory, not '"
                    + rsc.model.Names.printable(param) + "'");
        }
        LiveConfig.refusal(p).ifPresent(why -> {
            throw new RscException("refused: config set " + p + ": " + why);
        });
        return p;
    }

    private static List<Node> running(Group group) {
        List<Node> nodes = group.runningRedis();
        if (nodes.isEmpty()) {
            throw new RscException("'" + group.name() + "' has no running data node");
        }
        return nodes;
    }

    private static List<Node> stopped(Group group) {
        return group.redis().stream().filter(n -> !n.state().running()).toList();
    }

    /** Every node's current value; refuses a parameter some node does not know (an unknown name, or an older Redis). */
    private static Map<String, String> known(Session session, List<Node> nodes, String p) throws InterruptedException {
        Map<String, String> out = new LinkedHashMap<>();
        for (var a : Fanout.ask(session.pool(), nodes, n -> session.redis().node(n.announced()).configGetAll(p), 3000)) {
            if (!a.ok()) {
                throw new RscException(a.input().name() + " did not answer (" + a.error() + "): nothing was changed");
            }
            if (!a.value().containsKey(p)) {
                throw new RscException("unknown parameter '" + p + "'" + (out.isEmpty() ? "" : " on " + a.input().name())
                        + " ('config get *' lists them): nothing was changed");
            }
            out.put(a.input().name(), a.value().get(p));
        }
        return out;
    }

    private static Map<String, String> values(Session session, List<Node> nodes, String p) throws InterruptedException {
        Map<String, String> out = new LinkedHashMap<>();
        for (var a : Fanout.ask(session.pool(), nodes, n -> session.redis().node(n.announced()).configGet(p), 3000)) {
            out.put(a.input().name(), a.ok() ? a.value() : null);
        }
        return out;
    }

    private static String shown(String param, String value) {
        if (value == null) {
            return "(no answer)";
        }
        return LiveConfig.secret(param) && !value.isEmpty() ? "<secret>" : "\"" + value + "\"";
    }
}

package rsc.ops;

import rsc.model.Endpoint;
import rsc.model.Finding;
import rsc.model.Node;
import rsc.ops.LiveConfig.SentinelParam;
import rsc.redis.RedisNodeClient;
import rsc.redis.SentinelMaster;
import rsc.result.Severity;
import rsc.session.Session;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Settings that should be the same across a group and are not: {@code doctor} names the data nodes whose group-wide
 * parameters ({@link LiveConfig#groupWide}) differ and the sentinels whose timings or quorum differ; a node started
 * again copies the group's values ({@link #inherit}), as a Swarm task's script does from its master.
 */
public final class SettingsDrift {

    private SettingsDrift() {
    }

    public static List<Finding> findings(Session session, Group group) throws InterruptedException {
        List<Finding> out = new ArrayList<>();
        String g = group.name();
        Map<String, Map<String, String>> byParam = new TreeMap<>();
        for (var a : Fanout.ask(session.pool(), group.runningRedis(),
                n -> session.reads().node(n.announced()).configGetAll("*"), 3000)) {
            if (a.ok()) {   // a silent node is named by doctor's own checks
                a.value().forEach((k, v) -> {
                    if (LiveConfig.groupWide(k)) {
                        byParam.computeIfAbsent(k, x -> new TreeMap<>()).put(a.input().name(), v);
                    }
                });
            }
        }
        // aliases (hash-max-ziplist-entries, hash-max-listpack-entries) differ alike: one finding names them together
        Map<Map<String, String>, List<String>> same = new LinkedHashMap<>();
        byParam.forEach((p, values) -> {
            if (values.values().stream().distinct().count() > 1) {
                same.computeIfAbsent(values, x -> new ArrayList<>()).add(p);
            }
        });
        same.forEach((values, params) -> {
            String usual = usual(values);
            List<String> odd = values.entrySet().stream().filter(e -> !e.getValue().equals(usual)).map(Map.Entry::getKey).toList();
            out.add(Finding.fixedBy(Severity.WARN, "settings-differ", String.join(", ", params) + " differs between data nodes: "
                    + values.entrySet().stream().map(e -> e.getKey() + " " + quoted(e.getValue())).collect(Collectors.joining(", "))
                    + " (" + String.join(", ", odd) + " differ from the others)",
                    "config set " + params.get(0) + " " + quoted(usual) + " --group " + g));
        });
        out.addAll(sentinelFindings(session, group));
        return out;
    }

    private static List<Finding> sentinelFindings(Session session, Group group) throws InterruptedException {
        Map<String, SentinelMaster> views = new TreeMap<>();
        for (var a : Fanout.ask(session.pool(), group.runningSentinels(),
                n -> session.reads().sentinel(n.announced()).master(group.name()), 3000)) {
            if (a.ok() && a.value().isPresent()) {
                views.put(a.input().name(), a.value().get());
            }
        }
        List<Finding> out = new ArrayList<>();
        for (SentinelParam p : SentinelParam.values()) {
            Map<String, String> values = new TreeMap<>();
            views.forEach((name, m) -> values.put(name, Long.toString(SentinelSet.of(p, m))));
            if (values.values().stream().distinct().count() > 1) {
                out.add(Finding.fixedBy(Severity.WARN, "sentinel-settings-differ", p.sentinelName()
                        + " differs between sentinels: " + values, "sentinel set " + p.sentinelName() + " " + usual(values)
                        + (p == SentinelParam.QUORUM ? " --force" : "") + " --group " + group.name()));
            }
        }
        return out;
    }

    /**
     * Copies the group's settings to a node started again: for a data node, every group-wide parameter whose value on
     * {@code master} differs from its own (then {@code CONFIG REWRITE}); for a sentinel, its peers' timings and
     * quorum. Best effort: a value the node refuses (an older Redis) is skipped.
     *
     * @return the parameters copied
     */
    public static List<String> inherit(Session session, Node node, Optional<Endpoint> master) throws InterruptedException {
        List<String> copied = new ArrayList<>();
        try {
            if (node.isSentinel()) {
                inheritSentinel(session, node, copied);
            } else if (master.isPresent()) {
                RedisNodeClient mine = session.redis().node(node.announced());
                Map<String, String> own = mine.configGetAll("*");
                session.redis().node(master.get()).configGetAll("*").forEach((k, v) -> {
                    if (LiveConfig.groupWide(k) && own.containsKey(k) && !Objects.equals(own.get(k), v)) {
                        try {
                            mine.configSet(k, v);
                            copied.add(k);
                        } catch (RuntimeException e) {
                            // immutable, or unknown to this node's Redis: it keeps its own
                        }
                    }
                });
                if (!copied.isEmpty()) {
                    mine.configRewrite();
                }
            }
        } catch (RuntimeException e) {
            // the start itself succeeded; doctor names what still differs
        }
        return copied;
    }

    private static void inheritSentinel(Session session, Node node, List<String> copied) throws InterruptedException {
        Group group = Group.require(session, node.group());
        List<Node> peers = group.runningSentinels().stream().filter(n -> !n.name().equals(node.name())).toList();
        Optional<SentinelMaster> peer = Optional.empty();
        for (var a : Fanout.ask(session.pool(), peers, n -> session.redis().sentinel(n.announced()).master(group.name()), 3000)) {
            if (a.ok() && a.value().isPresent()) {
                peer = a.value();
                break;
            }
        }
        if (peer.isEmpty()) {
            return;
        }
        var c = session.redis().sentinel(node.announced());
        Optional<SentinelMaster> own = c.master(group.name());
        for (SentinelParam p : SentinelParam.values()) {
            long want = SentinelSet.of(p, peer.get());
            if (own.isPresent() && SentinelSet.of(p, own.get()) != want) {
                c.set(group.name(), p.sentinelName(), Long.toString(want));
                copied.add(p.sentinelName());
            }
        }
    }

    /** The most common value (ties: the first node's). */
    private static String usual(Map<String, String> values) {
        Map<String, Long> counts = values.values().stream()
                .collect(Collectors.groupingBy(v -> v, LinkedHashMap::new, Collectors.counting()));
        return counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    private static String quoted(String v) {
        return v.isEmpty() || v.contains(" ") ? "\"" + v + "\"" : v;
    }
}

package rsc.events;

import rsc.model.Endpoint;
import rsc.model.Node;
import rsc.model.NodeState;
import rsc.redis.Subscription;
import rsc.redis.Subscriptions;
import rsc.result.Severity;
import rsc.model.Topology;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Holds a {@code PSUBSCRIBE *} on every sentinel of every known group and turns topology changes into backend
 * events; {@link #sync(Topology, Topology)} is called after each topology refresh, so subscriptions follow
 * sentinels as they come and go.
 */
public final class EventHub implements AutoCloseable {

    private final Timeline timeline = new Timeline();
    private final Supplier<Subscriptions> redis;
    private final Map<Endpoint, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final Map<Endpoint, String> groupOf = new ConcurrentHashMap<>();
    private volatile Map<String, Integer> listening = Map.of();

    public EventHub(Supplier<Subscriptions> redis) {
        this.redis = redis;
    }

    public Timeline timeline() {
        return timeline;
    }

    /** Records an event rsc itself caused (a kill, a failover request), so the timeline tells the whole story. */
    public void note(String group, String type, String text, Severity severity) {
        timeline.record(new Event(Instant.now(), group, "rsc", type, text, severity));
    }

    /** Follows the sentinels of {@code now} and records what changed since {@code before}. */
    public synchronized void sync(Topology before, Topology now) {
        if (before != null && !before.takenAt().equals(Instant.EPOCH)) {
            diff(before, now);
        }
        Set<Endpoint> wanted = new HashSet<>();
        Map<String, Integer> count = new HashMap<>();
        for (Node n : now.nodes()) {
            if (n.isSentinel() && n.state().running()) {
                wanted.add(n.announced());
                groupOf.put(n.announced(), n.group());
                count.merge(n.group(), 1, Integer::sum);
            }
        }
        listening = Map.copyOf(count);
        for (Endpoint gone : Set.copyOf(subscriptions.keySet())) {
            if (!wanted.contains(gone) || !subscriptions.get(gone).isOpen()) {
                Subscription c = subscriptions.remove(gone);
                if (c != null) {
                    c.closeAsync();
                }
            }
        }
        for (Endpoint e : wanted) {
            if (!subscriptions.containsKey(e)) {
                try {
                    subscriptions.put(e, redis.get().subscribe(e, true, "*",
                            (channel, message) -> onSentinelMessage(e, channel, message)));
                } catch (RuntimeException ex) {
                    // unreachable now; the next refresh tries again
                }
            }
        }
    }

    /** How many sentinels rsc listens to for each group. */
    public Map<String, Integer> listening() {
        return listening;
    }

    private void onSentinelMessage(Endpoint from, String channel, String message) {
        SentinelEventParser.severity(channel, message).ifPresent(sev -> {
            // +new-epoch, +vote-for-leader and the like name no group: they belong to the group of the sentinel that said it
            String named = SentinelEventParser.group(channel, message);
            String group = named.isEmpty() ? groupOf.getOrDefault(from, "") : named;
            timeline.record(new Event(Instant.now(), group, "sentinel", channel, message, sev,
                    listening.getOrDefault(group, 1), java.util.Set.of(from.toString())));
        });
    }

    private void diff(Topology before, Topology now) {
        Map<String, Node> old = new HashMap<>();
        before.nodes().forEach(n -> old.put(n.name(), n));
        Set<String> seen = new HashSet<>();
        String source = now.backend();
        for (Node n : now.nodes()) {
            seen.add(n.name());
            Node o = old.get(n.name());
            if (o == null) {
                record(n.group(), source, "node-added", n.name() + " " + n.reach(), Severity.INFO);
            } else if (o.state() != n.state()) {
                Severity sev = n.state() == NodeState.RUNNING ? Severity.OK : Severity.ERROR;
                record(n.group(), source, n.state() == NodeState.RUNNING ? "node-up" : "node-down",
                        n.name() + " " + o.state().name().toLowerCase() + " -> " + n.state().name().toLowerCase(), sev);
            } else if (n.state().running() && !o.detail().equals(n.detail())) {
                record(n.group(), source, "node-restarted", n.name() + " (" + o.detail() + " -> " + n.detail() + ")",
                        Severity.WARN);
            }
        }
        for (Node o : before.nodes()) {
            if (!seen.contains(o.name())) {
                record(o.group(), source, "node-removed", o.name(), Severity.INFO);
            }
        }
    }

    private void record(String group, String source, String type, String text, Severity sev) {
        timeline.record(new Event(Instant.now(), group, source, type, text, sev));
    }

    /** Subscribed sentinel endpoints, for tests and {@code events}. */
    public List<Endpoint> subscribed() {
        return List.copyOf(subscriptions.keySet());
    }

    @Override
    public synchronized void close() {
        // wait (briefly) for the closes: the gateway's shutdown closes whatever is still closing again, and Lettuce
        // then prints "Connection is already closed" once per sentinel as the console exits
        try {
            java.util.concurrent.CompletableFuture.allOf(subscriptions.values().stream()
                    .map(Subscription::closeAsync).toArray(java.util.concurrent.CompletableFuture[]::new))
                    .get(2, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // closing anyway
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        subscriptions.clear();
    }
}

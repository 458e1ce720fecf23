package rsc.events;

import org.junit.jupiter.api.Test;
import rsc.error.RscException;
import rsc.model.Endpoint;
import rsc.model.Node;
import rsc.model.NodeKind;
import rsc.model.NodeState;
import rsc.redis.Subscription;
import rsc.redis.Subscriptions;
import rsc.model.Topology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The event hub over the rsc-typed {@link Subscriptions} seam, with no Redis: it follows the running sentinels as
 * topologies come and go, replaces a subscription that dropped, retries one that failed, and records what it hears.
 */
class EventHubUnitTests {

    /** A subscription the test opens, drops and watches being closed. */
    private static final class Fake implements Subscription {
        final Endpoint at;
        final BiConsumer<String, String> listener;
        boolean open = true;
        boolean closed;

        Fake(Endpoint at, BiConsumer<String, String> listener) {
            this.at = at;
            this.listener = listener;
        }

        @Override
        public boolean isOpen() {
            return open && !closed;
        }

        @Override
        public CompletableFuture<Void> closeAsync() {
            closed = true;
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private final List<Fake> made = new ArrayList<>();
    private final Set<Endpoint> unreachable = new HashSet<>();
    private final Subscriptions fake = (at, pattern, name, listener) -> {
        assertTrue(pattern, "every channel of a sentinel: PSUBSCRIBE");
        assertEquals("*", name);
        if (unreachable.contains(at)) {
            throw new RscException("cannot connect to " + at);
        }
        Fake f = new Fake(at, listener);
        made.add(f);
        return f;
    };

    private static Node sentinel(int i, NodeState state) {
        Endpoint e = new Endpoint("127.0.0.1", 26_000 + i);
        return new Node("g-sentinel-" + i, "g", NodeKind.SENTINEL, i, e, e, state, "");
    }

    private static Topology topology(Node... nodes) {
        return new Topology("local", List.of("g"), List.of(nodes), Map.of(), Map.of(), Instant.now());
    }

    private List<Endpoint> open() {
        return made.stream().filter(Fake::isOpen).map(f -> f.at).toList();
    }

    @Test
    void followsRunningSentinelsReplacesDroppedOnesAndRetriesFailedOnes() {
        Node s1 = sentinel(1, NodeState.RUNNING);
        Node s2 = sentinel(2, NodeState.RUNNING);
        Node s3 = sentinel(3, NodeState.STOPPED);
        unreachable.add(s2.announced());
        try (EventHub hub = new EventHub(() -> fake)) {
            Topology t1 = topology(s1, s2, s3);
            hub.sync(null, t1);
            assertEquals(List.of(s1.announced()), open(), "the stopped sentinel is not asked, the unreachable one failed");
            assertEquals(Map.of("g", 2), hub.listening());

            unreachable.clear();
            made.get(0).open = false;                   // s1's connection dropped
            hub.sync(t1, t1);
            assertEquals(Set.of(s1.announced(), s2.announced()), Set.copyOf(open()), "s1 again, s2 at last");
            assertTrue(made.get(0).closed, "the dropped subscription was closed");
            assertEquals(3, made.size());

            Topology t2 = topology(s2);                 // s1 removed
            hub.sync(t1, t2);
            assertEquals(List.of(s2.announced()), open());
            assertEquals(List.of(s2.announced()), hub.subscribed());
        }
        assertTrue(made.stream().allMatch(f -> f.closed), "closing the hub closes every subscription");
    }

    @Test
    void whatASentinelSaysIsRecordedForItsGroup() {
        Node s1 = sentinel(1, NodeState.RUNNING);
        try (EventHub hub = new EventHub(() -> fake)) {
            hub.sync(null, topology(s1));
            made.get(0).listener.accept("+switch-master", "g 127.0.0.1 6379 127.0.0.1 6380");
            List<Event> all = hub.timeline().all();
            assertFalse(all.isEmpty(), "the message was recorded");
            Event e = all.get(all.size() - 1);
            assertEquals("g", e.group());
            assertEquals("+switch-master", e.type());
            assertEquals(Set.of(s1.announced().toString()), e.reporters());
        }
    }
}

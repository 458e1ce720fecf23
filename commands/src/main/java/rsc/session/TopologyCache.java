package rsc.session;

import rsc.model.Topology;
import rsc.model.Endpoint;
import rsc.model.Node;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the last {@link Topology} and refreshes it off the caller's thread, so TAB and the prompt never wait
 * on Docker or Redis.
 */
public final class TopologyCache implements AutoCloseable {

    private final Session session;
    private final GroupProbe probe;
    private final Object refreshing = new Object();
    private volatile Topology snapshot;
    private volatile ScheduledExecutorService timer;

    TopologyCache(Session session, GroupProbe probe) {
        this.session = session;
        this.probe = probe;
        this.snapshot = Topology.empty(session.settings().backend());
    }

    /** The last snapshot; never blocks. */
    public Topology snapshot() {
        return snapshot;
    }

    /** Refreshes every {@code period} in the background until closed. */
    public synchronized void startBackground(Duration period) {
        if (timer != null) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rsc-topology");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::refreshQuietly, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Asks for a refresh without waiting for it. */
    public void refreshSoon() {
        if (timer != null) {
            timer.execute(this::refreshQuietly);
        }
    }

    private void refreshQuietly() {
        try {
            refreshNow();
        } catch (Exception | LinkageError e) {
            // the prompt keeps the last snapshot; the next command will report the problem
        }
    }

    /** Refreshes in the calling thread and returns the new snapshot. */
    public Topology refreshNow() throws InterruptedException {
        synchronized (refreshing) {
            var backend = session.backend();
            List<Node> nodes = backend.nodes(null);
            List<String> groups = backend.groups();
            Map<String, Endpoint> masters = new HashMap<>();
            Map<String, Topology.Health> health = new HashMap<>();
            for (String g : groups) {
                List<Node> mine = nodes.stream().filter(n -> n.group().equals(g)).toList();
                GroupProbe.Found found = probe.probe(session, g, mine);
                found.master().ifPresent(m -> masters.put(g, m));
                health.put(g, found.health());
            }
            Topology before = snapshot;
            snapshot = new Topology(backend.name(), groups, nodes, masters, health, Instant.now());
            session.events().sync(before, snapshot);
            return snapshot;
        }
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }
}

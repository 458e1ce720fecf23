package rsc.backend.swarm;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a resident console keeps warm between its one-shots on Swarm: per engine, the answers that only a service or
 * node change (an engine event) can make stale ({@link WarmEngine}). A one-shot then asks the engine only for its
 * tasks, which are always read afresh. Nothing else opens one: a console session reads through its own backend.
 */
public final class EngineWatch implements AutoCloseable {

    private final Map<String, WarmEngine> engines = new HashMap<>();
    private boolean closed;

    /** The warm engine for {@code host}, started on first use; none for a TLS host or once closed. */
    synchronized Optional<WarmEngine> engine(String host) {
        if (closed || !EngineProbe.handles(host)) {
            return Optional.empty();
        }
        return Optional.of(engines.computeIfAbsent(host, WarmEngine::watching));
    }

    @Override
    public synchronized void close() {
        closed = true;
        engines.values().forEach(WarmEngine::close);
        engines.clear();
    }
}

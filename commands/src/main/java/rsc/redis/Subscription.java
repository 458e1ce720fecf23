package rsc.redis;

import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

import java.util.concurrent.CompletableFuture;

/** A pub/sub subscription on one node (a sentinel's events), delivering to its listener until closed. */
public final class Subscription implements AutoCloseable {

    private final StatefulRedisPubSubConnection<String, String> connection;

    Subscription(StatefulRedisPubSubConnection<String, String> connection) {
        this.connection = connection;
    }

    /** False once the connection has dropped (the node went away): subscribe again. */
    public boolean isOpen() {
        return connection.isOpen();
    }

    /** Closes without waiting; the future completes once closed. */
    public CompletableFuture<Void> closeAsync() {
        return connection.closeAsync();
    }

    @Override
    public void close() {
        connection.closeAsync();
    }
}

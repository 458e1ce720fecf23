package rsc.redis;

import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

import java.util.concurrent.CompletableFuture;

/** A {@link Subscription} on a Lettuce pub/sub connection of its own. */
final class LettuceSubscription implements Subscription {

    private final StatefulRedisPubSubConnection<String, String> connection;

    LettuceSubscription(StatefulRedisPubSubConnection<String, String> connection) {
        this.connection = connection;
    }

    @Override
    public boolean isOpen() {
        return connection.isOpen();
    }

    @Override
    public CompletableFuture<Void> closeAsync() {
        return connection.closeAsync();
    }

    @Override
    public void close() {
        connection.closeAsync();
    }
}

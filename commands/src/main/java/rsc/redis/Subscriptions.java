package rsc.redis;

import rsc.model.Endpoint;

import java.util.function.BiConsumer;

/**
 * Pub/sub at the Redis edge: a subscription is handed back as an {@link AutoCloseable} rsc type and messages arrive as
 * plain strings, so no caller holds a library connection or implements a library listener.
 */
public interface Subscriptions {

    /**
     * Subscribes on a connection of its own to a channel, or ({@code pattern}) to the channels matching it, handing
     * each message's channel and text to {@code listener} until the subscription is closed; a node that cannot be
     * reached is rsc's one-line exception.
     */
    Subscription subscribe(Endpoint announced, boolean pattern, String name, BiConsumer<String, String> listener);
}

package rsc.redis;

import java.util.function.Supplier;

/**
 * The rule both Lettuce clients follow: a call that failed because of its connection (a timeout, a reset) drops
 * that connection, so the next call opens a fresh one; a reply in which Redis or Sentinel refused keeps it.
 */
final class ConnectionGuard {

    private final Runnable drop;

    ConnectionGuard(Runnable drop) {
        this.drop = drop;
    }

    /** Runs a synchronous call under the rule. */
    <T> T call(Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            if (!RedisErrors.isReply(e)) {
                drop.run();
            }
            throw RedisErrors.translate(e).orElse(e);     // rsc's exception, whatever Lettuce threw
        }
    }

    /** Applies the rule to a failure that arrived asynchronously. */
    void failed(Throwable t) {
        if (!RedisErrors.isReply(t)) {
            drop.run();
        }
    }
}

package rsc.redis;

import java.util.concurrent.CompletableFuture;

/** A pub/sub subscription on one node (a sentinel's events), delivering to its listener until closed. */
public interface Subscription extends AutoCloseable {

    /** False once the connection has dropped (the node went away): subscribe again. */
    boolean isOpen();

    /** Closes without waiting; the future completes once closed. */
    CompletableFuture<Void> closeAsync();

    /** Closes without waiting. */
    @Override
    void close();
}

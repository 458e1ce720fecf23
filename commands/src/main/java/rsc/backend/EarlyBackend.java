package rsc.backend;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A one-shot in a JVM of its own opens its backend on a thread of its own from the start, while the console builds
 * its command table and session: on Swarm that is the engine's {@code /_ping} and {@code /info} and the first Unix
 * socket's set-up (its SecureRandom), about as long again as the table, and a cold JVM has a second core idle. The
 * session gets that backend when it asks for one with the same settings, else opens its own; a failure is the one
 * opening it would have met, thrown when the session asks. Never made when the backend is unused: discarded then.
 */
public final class EarlyBackend implements BackendFactory {

    private final Settings settings;
    private final BackendFactory factory;
    private final CompletableFuture<Backend> opening = new CompletableFuture<>();
    private final AtomicBoolean taken = new AtomicBoolean();

    private EarlyBackend(Settings settings, BackendFactory factory) {
        this.settings = settings;
        this.factory = factory;
    }

    /**
     * Starts opening the backend {@code settings} name through {@code factory}. Its thread is a class of its own, not a
     * lambda: a one-shot starts it first thing, and a JVM's first lambda costs about 10 ms of set-up.
     */
    public static EarlyBackend start(Settings settings, BackendFactory factory) {
        EarlyBackend early = new EarlyBackend(settings, factory);
        Thread t = new Opening(early);
        t.setDaemon(true);
        t.start();
        return early;
    }

    private static final class Opening extends Thread {
        private final EarlyBackend early;

        Opening(EarlyBackend early) {
            super("rsc-backend-early");
            this.early = early;
        }

        @Override
        public void run() {
            try {
                early.opening.complete(early.factory.open(early.settings));
            } catch (Throwable e) {
                early.opening.completeExceptionally(e);
            }
        }
    }

    /** The settings it was started with: the session's must be these very ones for it to be handed over. */
    public Settings settings() {
        return settings;
    }

    @Override
    public Backend open(Settings s) {
        // the very settings it was started with (a record's equals costs a cold JVM its method-handle set-up)
        if (s != settings || !taken.compareAndSet(false, true)) {
            return factory.open(s);
        }
        try {
            return opening.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /** Closes the early backend once it is open, unless the session took it. */
    public void discard() {
        if (taken.compareAndSet(false, true)) {
            opening.thenAccept(Backend::close);
        }
    }
}

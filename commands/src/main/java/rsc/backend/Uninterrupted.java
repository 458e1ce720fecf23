package rsc.backend;

import rsc.error.RscException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * Runs a bounded piece of work that must not stop half-way (a node stopped and not yet started again) on a thread of
 * its own, and waits for it even when the caller is interrupted (Ctrl-C); the interrupt is kept for the caller to obey
 * right after.
 */
public final class Uninterrupted {

    private Uninterrupted() {
    }

    public static <T> T call(String name, Supplier<T> work) {
        CompletableFuture<T> done = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                done.complete(work.get());
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return done.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException r ? r
                            : new RscException(String.valueOf(e.getCause().getMessage()), e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

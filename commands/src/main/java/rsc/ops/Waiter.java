package rsc.ops;

import rsc.backend.Progress;
import rsc.error.RscException;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Polls until a condition holds, showing a progress line with the elapsed time, and fails with a clear line
 * on timeout. Interruptible: Ctrl-C stops the wait.
 */
public final class Waiter {

    private Waiter() {
    }

    /**
     * @param check    returns the value once done; empty while not yet
     * @param status   the progress text for the current state (called after each failed check)
     * @param failure  the error text on timeout, given the last status
     */
    public static <T> T until(Duration timeout, Duration every, Progress progress, Supplier<Optional<T>> check,
                              Supplier<String> status, Function<String, String> failure) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        String last = "";
        while (true) {
            Optional<T> done;
            try {
                done = check.get();
            } catch (RuntimeException e) {
                done = Optional.empty();
            }
            if (done.isPresent()) {
                return done.get();
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            last = status.get();
            long elapsed = (System.nanoTime() - start) / 1_000_000_000L;
            progress.update(last + " (" + elapsed + " s)");
            if (System.nanoTime() > deadline) {
                throw new RscException(failure.apply(last));
            }
            Thread.sleep(every.toMillis());
        }
    }

    /** Seconds since {@code startNanos}, one decimal. */
    public static String since(long startNanos) {
        return String.format(java.util.Locale.ROOT, "%.1f s", (System.nanoTime() - startNanos) / 1e9);
    }
}

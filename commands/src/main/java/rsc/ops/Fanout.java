package rsc.ops;

import rsc.session.ErrorTranslator;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/** Asks many nodes at once and waits for all answers (or their failures), so a slow node costs one timeout, not N. */
public final class Fanout {

    /** One node's answer or the one-line reason it has none. */
    public record Answer<I, T>(I input, T value, String error) {
        public boolean ok() {
            return error == null;
        }
    }

    private Fanout() {
    }

    public static <I, T> List<Answer<I, T>> ask(ExecutorService pool, List<I> inputs, Function<I, T> call, long timeoutMs)
            throws InterruptedException {
        List<Future<T>> futures = new ArrayList<>();
        for (I in : inputs) {
            futures.add(pool.submit(() -> call.apply(in)));
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        List<Answer<I, T>> out = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            Future<T> f = futures.get(i);
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                out.add(new Answer<>(inputs.get(i), f.get(left, TimeUnit.NANOSECONDS), null));
            } catch (ExecutionException e) {
                out.add(new Answer<>(inputs.get(i), null, ErrorTranslator.translate(e.getCause()).getMessage()));
            } catch (TimeoutException e) {
                f.cancel(true);
                out.add(new Answer<>(inputs.get(i), null, "no answer within " + timeoutMs + " ms"));
            } catch (InterruptedException e) {
                futures.forEach(x -> x.cancel(true));
                throw e;
            }
        }
        return out;
    }
}

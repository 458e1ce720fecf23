package rsc.session;

import java.util.List;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A session's tasks on threads lent by a longer-lived pool (a resident console's): starting a session's own three or
 * four threads cost each one-shot about 1.5 ms. As with a pool of its own, {@link #shutdownNow} (the session's close)
 * interrupts its tasks that still run and refuses new ones; the lent threads go back with no interrupt left set.
 */
final class SessionThreads extends AbstractExecutorService {

    private final Executor threads;
    private final Set<Thread> running = ConcurrentHashMap.newKeySet();
    private volatile boolean shut;

    SessionThreads(Executor threads) {
        this.threads = threads;
    }

    @Override
    public void execute(Runnable task) {
        if (shut) {
            throw new RejectedExecutionException("the session is closed");
        }
        threads.execute(() -> {
            Thread me = Thread.currentThread();
            running.add(me);
            try {
                if (!shut) {
                    task.run();
                }
            } finally {
                running.remove(me);
                Thread.interrupted();   // an interrupt meant for this session's task stays with it
            }
        });
    }

    @Override
    public void shutdown() {
        shut = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
        shut = true;
        running.forEach(Thread::interrupt);
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return shut;
    }

    @Override
    public boolean isTerminated() {
        return shut && running.isEmpty();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long end = System.nanoTime() + unit.toNanos(timeout);
        while (!isTerminated()) {
            if (System.nanoTime() >= end) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }
}

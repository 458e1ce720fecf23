package rsc.session;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A session's tasks on threads lent by a resident console ({@link SessionThreads}): they run on the lender's
 * threads; closing the session interrupts its running tasks and refuses new ones, as a pool of its own does; and a
 * lent thread goes back with no interrupt set, so the next one-shot's task on it is not cut short.
 */
class SessionThreadsUnitTests {

    private final ExecutorService lender = Executors.newFixedThreadPool(1);

    @AfterEach
    void stop() {
        lender.shutdownNow();
    }

    @Test
    void closingInterruptsARunningTaskRefusesNewOnesAndGivesTheThreadBackClean() throws Exception {
        SessionThreads first = new SessionThreads(lender);
        CountDownLatch running = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicReference<Thread> lent = new AtomicReference<>();
        Future<?> f = first.submit(() -> {
            lent.set(Thread.currentThread());
            running.countDown();
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
        });
        assertTrue(running.await(5, TimeUnit.SECONDS));
        first.shutdownNow();
        f.get(5, TimeUnit.SECONDS);
        assertTrue(interrupted.get(), "the session's task was interrupted");
        assertTrue(first.isShutdown());
        assertThrows(RejectedExecutionException.class, () -> first.submit(() -> 1));

        SessionThreads next = new SessionThreads(lender);
        AtomicReference<Thread> again = new AtomicReference<>();
        AtomicBoolean interruptedAtStart = new AtomicBoolean(true);
        next.submit(() -> {
            again.set(Thread.currentThread());
            interruptedAtStart.set(Thread.currentThread().isInterrupted());
            return 1;
        }).get(5, TimeUnit.SECONDS);
        assertSame(lent.get(), again.get(), "the lender's one thread, lent again");
        assertFalse(interruptedAtStart.get(), "no interrupt left over from the last session");
        assertTrue(first.awaitTermination(1, TimeUnit.SECONDS));
    }

    @Test
    void aSessionsAnswersComeFromTheLendersThreads() throws Exception {
        SessionThreads s = new SessionThreads(lender);
        String name = s.submit(() -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS);
        assertTrue(name.startsWith("pool-"), name);
        assertEquals(42, (int) java.util.concurrent.CompletableFuture.supplyAsync(() -> 42, s).get(5, TimeUnit.SECONDS));
    }
}

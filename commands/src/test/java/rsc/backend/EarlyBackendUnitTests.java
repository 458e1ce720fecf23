package rsc.backend;

import org.junit.jupiter.api.Test;
import rsc.error.RscException;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A one-shot's JVM opens its backend on a thread of its own while the rest is set up ({@link EarlyBackend}): the
 * session gets that very backend for the same settings, the failure opening met (thrown when asked, as it is), a
 * backend of its own for other settings or a second time, and an early backend nobody took is closed.
 */
class EarlyBackendUnitTests {

    private final Settings settings = new Settings("local", Path.of("/tmp/rsc-early"), "g", "redis:7", "rsc-net",
            Optional.empty());
    private final AtomicInteger opened = new AtomicInteger();
    private final List<String> closed = new CopyOnWriteArrayList<>();

    private Backend backend(String name) {
        opened.incrementAndGet();
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[]{Backend.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "close" -> {
                        closed.add(name);
                        yield null;
                    }
                    case "name", "toString" -> name;
                    default -> null;
                });
    }

    @Test
    void theSessionGetsTheBackendOpenedEarly() {
        CountDownLatch started = new CountDownLatch(1);
        EarlyBackend early = EarlyBackend.start(settings, s -> {
            started.countDown();
            return backend("early");
        });
        Backend b = early.open(settings);
        assertEquals("early", b.name());
        assertEquals(1, opened.get(), "opened once, on its own thread");
        early.discard();
        assertEquals(List.of(), closed, "taken: the session closes it, not the discard");
    }

    @Test
    void aFailureIsThrownWhenTheSessionAsksAsItIs() {
        RscException boom = new RscException("the Docker Engine at tcp://x:2375 is a swarm worker, not a manager");
        EarlyBackend early = EarlyBackend.start(settings, s -> {
            throw boom;
        });
        assertSame(boom, assertThrows(RscException.class, () -> early.open(settings)));
    }

    @Test
    void otherSettingsOrASecondAskOpenABackendOfTheirOwn() {
        EarlyBackend early = EarlyBackend.start(settings, s -> backend(s.group()));
        Settings other = settings.withGroup("h");
        assertEquals("h", early.open(other).name());
        Backend first = early.open(settings);
        Backend second = early.open(settings);
        assertNotSame(first, second);
        assertEquals(3, opened.get());
    }

    @Test
    void anEarlyBackendNobodyTookIsClosed() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        EarlyBackend early = EarlyBackend.start(settings, s -> {
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return backend("unused");
        });
        early.discard();   // returns at once, the backend still opening
        assertEquals(List.of(), closed);
        release.countDown();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (closed.isEmpty() && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        assertEquals(List.of("unused"), closed);
        assertTrue(opened.get() == 1);
    }
}

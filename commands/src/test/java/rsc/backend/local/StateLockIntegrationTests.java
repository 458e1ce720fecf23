package rsc.backend.local;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import rsc.backend.Progress;
import rsc.backend.Signal;
import rsc.model.Node;
import rsc.testing.LocalTestBed;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Starting a node again while another thread of the same console lists the nodes (the background refresh does):
 * a file lock belongs to the process, so the restart's {@code lock()} met the listing's {@code tryLock()} on a second
 * channel and failed with OverlappingFileLockException ('start NODE' did, now and then).
 */
@Tag("integration")
class StateLockIntegrationTests {

    @Test
    void aRestartWhileAnotherThreadListsTheNodesDoesNotFail() throws Exception {
        try (LocalTestBed bed = new LocalTestBed()) {
            bed.ok("create-master lock --port " + LocalTestBed.freePorts(10) + " --no-auth");
            LocalBackend backend = (LocalBackend) bed.engine().session().placingBackend();
            AtomicBoolean done = new AtomicBoolean();
            AtomicReference<Throwable> lister = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    while (!done.get()) {
                        backend.nodes(null);
                    }
                } catch (Throwable e) {
                    lister.set(e);
                }
            });
            t.start();
            try {
                for (int i = 0; i < 15; i++) {
                    Node n = backend.nodes("lock").get(0);
                    backend.signal(n, Signal.KILL);
                    long deadline = System.nanoTime() + 10_000_000_000L;
                    while (backend.nodes("lock").get(0).state().running() || !Ports.free("127.0.0.1", n.reach().port())) {
                        assertTrue(System.nanoTime() < deadline, "the killed node is gone within 10 s");
                        Thread.sleep(20);
                    }
                    backend.restart(n, Optional.empty(), Progress.NONE);
                }
            } finally {
                done.set(true);
                t.join();
            }
            assertNull(lister.get(), "the listing thread failed");
        }
    }
}

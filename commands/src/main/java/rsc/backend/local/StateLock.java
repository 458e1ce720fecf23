package rsc.backend.local;

import rsc.error.CancelledException;
import rsc.error.RscException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;

/**
 * Takes the state directory's lock. A lock this JVM already holds on the file (another backend of this JVM, or this
 * one's sweep while listing nodes) makes {@link FileChannel#lock()} throw at once instead of waiting: wait it out here,
 * as the lock of another process is waited for.
 */
final class StateLock {

    private static final long WAIT_NANOS = 10_000_000_000L;

    private StateLock() {
    }

    static FileLock take(FileChannel ch) throws IOException {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (true) {
            try {
                return ch.lock();
            } catch (OverlappingFileLockException e) {
                if (System.nanoTime() > deadline) {
                    throw new RscException("the local backend's state lock stays taken by this rsc: try again");
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new CancelledException();
                }
            }
        }
    }
}

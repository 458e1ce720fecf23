package rsc.backend.local;

import org.junit.jupiter.api.Test;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two local backends in one JVM (a console and a test's own, or one's node listing and its restart) share the state
 * lock: {@code FileChannel.lock()} throws at once while this JVM holds it ({@code start NODE} failed with
 * OverlappingFileLockException in UpgradeIntegrationTests); {@link StateLock#take} waits for it instead.
 */
class StateLockUnitTests {

    @Test
    void waitsForALockThisJvmHoldsInsteadOfThrowing() throws Exception {
        Path dir = Files.createTempDirectory("rsc-lock-");
        Path file = dir.resolve(".lock");
        try (FileChannel first = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileChannel second = FileChannel.open(file, StandardOpenOption.WRITE)) {
            FileLock held = first.lock();
            assertThrows(OverlappingFileLockException.class, second::lock, "what the JDK does: no waiting");
            Thread releaser = new Thread(() -> {
                rsc.testing.Sleep.sleep(300);
                try {
                    held.release();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            long t0 = System.nanoTime();
            releaser.start();
            try (FileLock mine = StateLock.take(second)) {
                assertTrue(mine.isValid() && (System.nanoTime() - t0) / 1_000_000 >= 250, "taken once released");
            }
            releaser.join();
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }
}

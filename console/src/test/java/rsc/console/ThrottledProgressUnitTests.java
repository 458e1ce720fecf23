package rsc.console;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThrottledProgressUnitTests {

    @Test
    void printsDistinctLinesAtMostOncePerInterval() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicLong now = new AtomicLong();
        ThrottledProgress p = new ThrottledProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                Duration.ofSeconds(1), now::get);
        p.update("waiting for replicas 0/2");
        for (int i = 0; i < 100; i++) {
            p.update("waiting for replicas 0/2");
        }
        now.addAndGet(Duration.ofMillis(200).toNanos());
        p.update("waiting for replicas 1/2");
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        p.update("waiting for replicas 1/2");
        p.update("waiting for replicas 2/2");
        assertEquals("waiting for replicas 0/2\nwaiting for replicas 1/2\n",
                bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
    }

    /** Issue 12 item 14: a one-shot 'wait --timeout 60s' into a log printed a line a second, only the seconds changing. */
    @Test
    void aLineWhoseOnlyChangeIsTheElapsedTimeIsAHeartbeatNotALineASecond() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicLong now = new AtomicLong();
        ThrottledProgress p = new ThrottledProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                Duration.ofSeconds(1), now::get);
        for (int s = 0; s < 60; s++) {
            p.update("waiting for +switch-master of g (" + s + ".0 s)");
            now.addAndGet(Duration.ofSeconds(1).toNanos());
        }
        for (int s = 0; s < 60; s++) {
            p.update("waiting for replicas to link to the master: " + (s < 30 ? "0/2" : "1/2") + " up (" + s + " s)");
            now.addAndGet(Duration.ofSeconds(1).toNanos());
        }
        long lines = bytes.toString(StandardCharsets.UTF_8).lines().count();
        assertTrue(lines <= 12, lines + " lines:\n" + bytes.toString(StandardCharsets.UTF_8));
        assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("1/2 up"), "a real change is printed");
    }
}

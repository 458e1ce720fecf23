package rsc.console;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}

package rsc.console;

import rsc.backend.Progress;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Progress for logs and pipes, where a line cannot be redrawn: prints a line only when it differs from the last
 * one printed and at least {@code interval} has passed since, so a polling loop never floods a log. A line that
 * differs only in its elapsed time ({@code (12 s)}) is a heartbeat, printed every {@link #HEARTBEAT} at most: a
 * 60-second wait says so a few times, not sixty.
 */
public final class ThrottledProgress implements Progress {

    static final Duration HEARTBEAT = Duration.ofSeconds(15);
    private static final java.util.regex.Pattern ELAPSED = java.util.regex.Pattern.compile("\\s*\\(\\d+(\\.\\d+)? s\\)$");

    private final PrintStream out;
    private final long intervalNanos;
    private final LongSupplier clock;
    private String lastPrinted;
    private long lastAt;
    private boolean printedAny;

    public ThrottledProgress(PrintStream out) {
        this(out, Duration.ofSeconds(1), System::nanoTime);
    }

    /** With an explicit interval and nanosecond clock (tests). */
    public ThrottledProgress(PrintStream out, Duration interval, LongSupplier clock) {
        this.out = out;
        this.intervalNanos = interval.toNanos();
        this.clock = clock;
    }

    @Override
    public synchronized void update(String line) {
        if (line == null || line.isBlank() || Objects.equals(line, lastPrinted)) {
            return;
        }
        long now = clock.getAsLong();
        if (printedAny && now - lastAt < intervalNanos) {
            return;
        }
        if (printedAny && state(line).equals(state(lastPrinted)) && now - lastAt < HEARTBEAT.toNanos()) {
            return;
        }
        out.println(line);
        out.flush();
        lastPrinted = line;
        lastAt = now;
        printedAny = true;
    }

    /** The line without its elapsed time. */
    private static String state(String line) {
        return ELAPSED.matcher(line).replaceFirst("");
    }
}

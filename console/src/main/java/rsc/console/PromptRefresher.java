package rsc.console;

import org.jline.reader.LineReader;
import org.jline.reader.impl.LineReaderImpl;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Redraws an idle prompt when what it shows changes (a master moves, a group turns red), so the operator sees a
 * failover without pressing Enter. Acts only while the REPL waits at its own prompt, never during a confirmation.
 */
public final class PromptRefresher implements AutoCloseable {

    private final LineReader reader;
    private final Supplier<String> prompt;
    private final ScheduledExecutorService timer;
    private volatile boolean atPrompt;
    private volatile String shown;

    public PromptRefresher(LineReader reader, Supplier<String> prompt, Duration period) {
        this.reader = reader;
        this.prompt = prompt;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rsc-prompt");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::tick, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The prompt to read the next line with; marks the REPL as waiting at it. */
    public String enter() {
        shown = prompt.get();
        atPrompt = true;
        return shown;
    }

    /** The line was read (or the read failed): stop redrawing. */
    public void leave() {
        atPrompt = false;
    }

    private void tick() {
        try {
            if (!atPrompt || !reader.isReading() || !(reader instanceof LineReaderImpl impl)) {
                return;
            }
            String now = prompt.get();
            if (Objects.equals(now, shown)) {
                return;
            }
            shown = now;
            impl.setPrompt(now);
            // REDISPLAY alone: it compares with what is on the screen and erases what a shorter prompt leaves behind.
            // REDRAW_LINE first made it forget the screen, so a prompt that shrank (a master gone, a group destroyed)
            // was drawn over the old one: 'rsc local t3 down> 0.1:31520>'
            reader.callWidget(LineReader.REDISPLAY);
        } catch (RuntimeException e) {
            // the read ended between the check and the redraw: the next prompt is fresh anyway
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}

package rsc.console;

import rsc.events.Event;
import rsc.events.Timeline;
import rsc.result.Message;
import rsc.session.Interaction;

import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Prints each new event above the prompt while the operator types. It waits a moment before printing, so the
 * same event from every sentinel shows as one line ("3/3 sentinels") rather than three.
 */
final class LiveEvents implements AutoCloseable {

    static final long SETTLE_MS = 400;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final Timeline timeline;
    private final Interaction ui;
    private final ScheduledExecutorService delay;
    private final Consumer<Event> listener;

    LiveEvents(Timeline timeline, Interaction ui) {
        this.timeline = timeline;
        this.ui = ui;
        this.delay = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rsc-live-events");
            t.setDaemon(true);
            return t;
        });
        this.listener = e -> delay.schedule(() -> show(timeline.current(e)), SETTLE_MS, TimeUnit.MILLISECONDS);
        timeline.listen(listener);
    }

    private void show(Event e) {
        ui.notice(new Message(e.severity(), LocalTime.ofInstant(e.at(), ZoneId.systemDefault()).format(CLOCK) + " " + e.line()));
    }

    @Override
    public void close() {
        timeline.unlisten(listener);
        delay.shutdownNow();
    }
}

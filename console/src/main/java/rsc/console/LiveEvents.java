package rsc.console;

import rsc.events.Event;
import rsc.events.EventLevel;
import rsc.events.EventText;
import rsc.model.Endpoint;
import rsc.events.Timeline;
import rsc.result.Message;
import rsc.session.Interaction;

import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Prints each new event above the prompt while the operator types, with node names for addresses, as many as the
 * group's {@link EventLevel} lets through ({@code set events}). It waits a moment before printing, so the same event
 * from every sentinel shows as one line ("3/3 sentinels") rather than three.
 */
final class LiveEvents implements AutoCloseable {

    static final long SETTLE_MS = 400;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final Timeline timeline;
    private final Interaction ui;
    private final ScheduledExecutorService delay;
    private final Consumer<Event> listener;
    private final Function<String, EventLevel> level;
    private final Supplier<Map<Endpoint, String>> names;

    /**
     * @param level the level of a group's events
     * @param names the node at each address, from the cached topology
     */
    LiveEvents(Timeline timeline, Interaction ui, Function<String, EventLevel> level, Supplier<Map<Endpoint, String>> names) {
        this.timeline = timeline;
        this.ui = ui;
        this.level = level;
        this.names = names;
        this.delay = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rsc-live-events");
            t.setDaemon(true);
            return t;
        });
        this.listener = e -> delay.schedule(() -> show(timeline.current(e)), SETTLE_MS, TimeUnit.MILLISECONDS);
        timeline.listen(listener);
    }

    private void show(Event e) {
        if (!level.apply(e.group()).shows(e.severity())) {
            return;
        }
        ui.notice(new Message(e.severity(), LocalTime.ofInstant(e.at(), ZoneId.systemDefault()).format(CLOCK) + " "
                + EventText.line(e, names.get())));
    }

    @Override
    public void close() {
        timeline.unlisten(listener);
        delay.shutdownNow();
    }
}

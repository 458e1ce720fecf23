package rsc.events;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The session's events in order, bounded. The same Sentinel event from several sentinels within a few seconds
 * is one entry whose count grows ("3/3 sentinels"); the same event again from a sentinel already counted is a new
 * occurrence (a flap, a second failover), so it is a new line and no count exceeds the sentinels listened to.
 * Each sentinel's {@code +odown} counts its own votes ({@code #quorum 2/2}, {@code 3/2}); that is still one event.
 */
public final class Timeline {

    public static final int CAPACITY = 10_000;
    private static final Duration SAME_EVENT = Duration.ofSeconds(5);
    private static final java.util.regex.Pattern QUORUM = java.util.regex.Pattern.compile(" #quorum \\d+/\\d+$");

    private final List<Event> events = new ArrayList<>();
    private final List<Consumer<Event>> listeners = new CopyOnWriteArrayList<>();

    /** Adds an event, or counts one more sentinel for an identical recent one; listeners hear new lines only. */
    public void record(Event e) {
        Event added = null;
        synchronized (this) {
            for (int i = events.size() - 1; i >= 0; i--) {
                Event old = events.get(i);
                if (Duration.between(old.at(), e.at()).compareTo(SAME_EVENT) > 0) {
                    break;
                }
                if (old.source().equals("sentinel") && e.source().equals("sentinel") && old.type().equals(e.type())
                        && sameText(old.text(), e.text()) && old.group().equals(e.group())) {
                    if (old.reporters().containsAll(e.reporters())) {
                        break; // said again by a sentinel already counted: it happened again
                    }
                    events.set(i, old.reportedAlsoBy(e));
                    notifyAll();
                    return;
                }
            }
            events.add(e);
            if (events.size() > CAPACITY) {
                events.remove(0);
            }
            added = e;
            notifyAll();
        }
        for (Consumer<Event> l : listeners) {
            l.accept(added);
        }
    }

    /** The same report, but for the votes each sentinel counted ({@code +odown ... #quorum 2/2} and {@code 3/2}). */
    private static boolean sameText(String a, String b) {
        return Objects.equals(a, b) || a != null && b != null
                && QUORUM.matcher(a).replaceAll("").equals(QUORUM.matcher(b).replaceAll(""));
    }

    /** The event as it stands now (its sentinel count may have grown since it was first recorded). */
    public synchronized Event current(Event e) {
        for (int i = events.size() - 1; i >= 0; i--) {
            Event x = events.get(i);
            if (x.at().equals(e.at()) && x.type().equals(e.type()) && x.group().equals(e.group())
                    && Objects.equals(x.text(), e.text())) {
                return x;
            }
        }
        return e;
    }

    public synchronized List<Event> since(Instant from) {
        return events.stream().filter(e -> !e.at().isBefore(from)).toList();
    }

    public synchronized List<Event> all() {
        return List.copyOf(events);
    }

    public void listen(Consumer<Event> listener) {
        listeners.add(listener);
    }

    public void unlisten(Consumer<Event> listener) {
        listeners.remove(listener);
    }

    /** Blocks until an event matching the test is recorded at or after {@code from}, or the deadline passes. */
    public synchronized java.util.Optional<Event> await(Instant from, java.util.function.Predicate<Event> test,
                                                         long deadlineNanos) throws InterruptedException {
        while (true) {
            for (Event e : events) {
                if (!e.at().isBefore(from) && test.test(e)) {
                    return java.util.Optional.of(e);
                }
            }
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return java.util.Optional.empty();
            }
            wait(Math.max(1, Math.min(250, left / 1_000_000)));
        }
    }
}

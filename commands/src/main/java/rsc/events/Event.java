package rsc.events;

import rsc.result.Severity;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * One line of the timeline.
 *
 * @param at       when it was first seen
 * @param group    the group it concerns ("" when unknown)
 * @param source   {@code sentinel} or the backend's name
 * @param type     the Sentinel event ({@code +sdown}, {@code +switch-master}) or a backend event ({@code node-down})
 * @param text     the event's details as published
 * @param severity how it should look
 * @param of       how many sentinels of the group were listening
 * @param reporters the sentinels (HOST:PORT) that reported it; empty for the backend's and rsc's own events
 */
public record Event(Instant at, String group, String source, String type, String text, Severity severity,
                    int of, Set<String> reporters) {

    public Event {
        reporters = Set.copyOf(reporters);
    }

    /** An event nobody but rsc or the backend reports. */
    public Event(Instant at, String group, String source, String type, String text, Severity severity) {
        this(at, group, source, type, text, severity, 1, Set.of());
    }

    /** How many sentinels reported it (distinct ones); 1 for an event of rsc or the backend. */
    public int seenBy() {
        return reporters.isEmpty() ? 1 : reporters.size();
    }

    /** The same event, reported also by the sentinels that reported {@code other}. */
    public Event reportedAlsoBy(Event other) {
        Set<String> all = new HashSet<>(reporters);
        all.addAll(other.reporters);
        return new Event(at, group, source, type, text, severity, Math.max(of, other.of), all);
    }

    /** The line with the details as the sentinels published them (addresses); {@link EventText#line} names nodes. */
    public String line() {
        return group + " " + type + " " + text + " " + reportedBy();
    }

    /** Who said it, as the lines end: {@code (2/3 sentinels)}, or the source ({@code (local)}, {@code (rsc)}). */
    public String reportedBy() {
        return source.equals("sentinel") ? "(" + seenBy() + "/" + of + " sentinels)" : "(" + source + ")";
    }
}

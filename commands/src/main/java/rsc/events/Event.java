package rsc.events;

import rsc.result.Severity;

import java.time.Instant;

/**
 * One line of the timeline.
 *
 * @param at       when it was first seen
 * @param group    the group it concerns ("" when unknown)
 * @param source   {@code sentinel} or the backend's name
 * @param type     the Sentinel event ({@code +sdown}, {@code +switch-master}) or a backend event ({@code node-down})
 * @param text     the event's details as published
 * @param severity how it should look
 * @param seenBy   how many sentinels reported it
 * @param of       how many sentinels of the group were listening
 */
public record Event(Instant at, String group, String source, String type, String text, Severity severity,
                    int seenBy, int of) {

    public Event withSeen(int seen, int listening) {
        return new Event(at, group, source, type, text, severity, seen, listening);
    }

    /** The one line shown above the prompt and in {@code events}. */
    public String line() {
        String who = source.equals("sentinel") ? " (" + seenBy + "/" + of + " sentinels)" : " (" + source + ")";
        return group + " " + type + " " + text + who;
    }
}

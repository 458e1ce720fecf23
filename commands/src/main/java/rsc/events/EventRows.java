package rsc.events;

import rsc.model.Endpoint;
import rsc.result.Table;
import rsc.result.Tally;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code events} table, the one schema of its text, {@code --json} and {@code --export}: {@code at} (ISO-8601 in
 * JSON), {@code group}, {@code source}, {@code event}, {@code details} (node names, as the live lines say it),
 * {@code severity}, {@code seen} ({@code {"count","of"}} sentinels, null for rsc's and the backend's own events) and
 * {@code raw}, the text as the sentinels published it (addresses, run-ids), which only JSON and exports carry.
 */
public final class EventRows {

    /** The columns, in the order every JSON row and exported line has them. */
    public static final List<String> COLUMNS = List.of("at", "group", "source", "event", "details", "severity", "seen", "raw");

    private EventRows() {
    }

    /** One row per timeline entry (the same event from several sentinels is already one entry, counted in seen). */
    public static Table table(List<Event> events, Map<Endpoint, String> names) {
        Map<String, String> runIds = EventText.runIds(events, names);
        Table.Builder t = Table.of("events", COLUMNS.toArray(String[]::new)).dataOnly("raw");
        for (Event e : events) {
            t.row(e.at(), e.group(), e.source(), new Table.Cell(e.type(), e.severity()), EventText.details(e, names, runIds),
                    e.severity().name().toLowerCase(Locale.ROOT),
                    e.source().equals("sentinel") ? new Tally(e.seenBy(), e.of()) : null, e.text());
        }
        return t.build();
    }
}

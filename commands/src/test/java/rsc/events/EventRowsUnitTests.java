package rsc.events;

import org.junit.jupiter.api.Test;
import rsc.model.Endpoint;
import rsc.result.Plain;
import rsc.result.Severity;
import rsc.result.Table;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Issue 12 items 10 and 13: {@code events} in node names; its JSON keeps Sentinel's raw text under one schema. */
class EventRowsUnitTests {

    private static final Instant T = Instant.parse("2026-11-30T16:00:00Z");
    private static final String LEADER = "f1bbacd09a092a36b40c9afeb43ad9024700dc5a";
    private static final Map<Endpoint, String> NAMES = Map.of(
            new Endpoint("127.0.0.1", 7000), "g-redis-1", new Endpoint("127.0.0.1", 7001), "g-redis-2",
            new Endpoint("127.0.0.1", 7005), "g-sentinel-1");

    private static Event sentinel(String type, String text, int seen) {
        Set<String> by = Set.of("127.0.0.1:7005", "127.0.0.1:7006", "127.0.0.1:7007").stream().limit(seen)
                .collect(java.util.stream.Collectors.toSet());
        return new Event(T, "g", "sentinel", type, text, Severity.INFO, 3, by);
    }

    @Test
    void detailsNameNodesAndSentinelsWhileRawKeepsWhatSentinelSaid() {
        List<Event> events = List.of(
                sentinel("+vote-for-leader", LEADER + " 1", 1),
                sentinel("+selected-slave", "slave 127.0.0.1:7001 127.0.0.1 7001 @ g 127.0.0.1 7000", 1),
                sentinel("+switch-master", "g 127.0.0.1 7000 127.0.0.1 7001", 3),
                sentinel("+config-update-from", "sentinel " + LEADER + " 127.0.0.1 7005 @ g 127.0.0.1 7000", 2),
                new Event(T, "g", "local", "node-down", "g-redis-1 exited", Severity.ERROR));
        Table t = EventRows.table(events, NAMES);
        List<Map<String, Object>> rows = Plain.rows(t);
        List<String> details = new ArrayList<>();
        rows.forEach(r -> details.add((String) r.get("details")));
        assertEquals(List.of("g-sentinel-1 1", "slave g-redis-2 @ g g-redis-1", "g g-redis-1 -> g-redis-2",
                "sentinel g-sentinel-1 @ g g-redis-1", "g-redis-1 exited"), details);
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(EventRows.COLUMNS, List.copyOf(rows.get(i).keySet()), "one schema, in order");
            assertEquals(events.get(i).text(), rows.get(i).get("raw"), "nothing lost for a post-mortem");
            assertEquals("2026-11-30T16:00:00Z", rows.get(i).get("at"));
        }
        assertEquals(Map.of("count", 3, "of", 3), rows.get(2).get("seen"));
        assertNull(rows.get(4).get("seen"), "rsc's and the backend's events are seen by no sentinel");
    }

    @Test
    void textLeavesOutTheRawColumn() {
        Table t = EventRows.table(List.of(sentinel("+switch-master", "g 127.0.0.1 7000 127.0.0.1 7001", 3)), NAMES);
        Table shown = t.forText();
        assertEquals(List.of("at", "group", "source", "event", "details", "severity", "seen"), shown.columns());
        assertEquals("g g-redis-1 -> g-redis-2", shown.rows().get(0).get(4));
        assertEquals(t.key(), shown.key());
    }
}

package rsc.console;

import org.junit.jupiter.api.Test;
import rsc.backend.Progress;
import rsc.events.Event;
import rsc.events.EventLevel;
import rsc.events.Timeline;
import rsc.model.Endpoint;
import rsc.result.CommandResult;
import rsc.result.Message;
import rsc.result.Severity;
import rsc.session.Interaction;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static rsc.testing.Sleep.sleep;

/** Issue 12 item 10: events above the prompt name nodes, and the operator chooses how many (set events). */
class LiveEventsUnitTests {

    private static final String RUN_ID = "7f3a9c1e0b2d4f6a8c0e1b3d5f7a9c1e0b2d4f6a";

    private static Event sentinel(String type, String text, Severity severity) {
        return new Event(Instant.now(), "g", "sentinel", type, text, severity, 3, Set.of("127.0.0.1:26379"));
    }

    private static final class Notices implements Interaction {
        final List<String> lines = new CopyOnWriteArrayList<>();

        public boolean interactive() {
            return true;
        }

        public boolean confirm(String question) {
            return false;
        }

        public Progress progress() {
            return Progress.NONE;
        }

        public void show(String commandLine, CommandResult result, boolean json) {
        }

        public void notice(Message message) {
            lines.add(message.text());
        }

        public void error(String line) {
        }
    }

    @Test
    void aFailoverShowsItsWarningsWithNodeNamesAndAllOrOffAsAsked() {
        Timeline timeline = new Timeline();
        Notices ui = new Notices();
        Map<String, EventLevel> levels = new java.util.concurrent.ConcurrentHashMap<>();
        Map<Endpoint, String> names = Map.of(new Endpoint("127.0.0.1", 6379), "g-redis-1",
                new Endpoint("127.0.0.1", 6380), "g-redis-2", new Endpoint("127.0.0.1", 26380), "g-sentinel-2");
        try (LiveEvents live = new LiveEvents(timeline, ui, g -> levels.getOrDefault(g, EventLevel.WARNINGS), () -> names)) {
            timeline.record(sentinel("+sdown", "master g 127.0.0.1 6379", Severity.ERROR));
            timeline.record(sentinel("+try-failover", "master g 127.0.0.1 6379", Severity.INFO));
            timeline.record(sentinel("+vote-for-leader", RUN_ID + " 1", Severity.INFO));
            timeline.record(sentinel("+sentinel", "sentinel " + RUN_ID + " 127.0.0.1 26380 @ g 127.0.0.1 6379", Severity.INFO));
            timeline.record(sentinel("+switch-master", "g 127.0.0.1 6379 127.0.0.1 6380", Severity.WARN));
            timeline.record(sentinel("+sdown", "slave 127.0.0.1:6379 127.0.0.1 6379 @ g 127.0.0.1 6380", Severity.WARN));
            sleep(LiveEvents.SETTLE_MS + 300);
            assertEquals(3, ui.lines.size(), "the warnings of a failover, not its every step: " + ui.lines);
            assertTrue(ui.lines.get(2).contains("+sdown slave g-redis-1 @ g g-redis-2"), ui.lines.get(2));
            assertTrue(ui.lines.get(0).contains("+sdown master g g-redis-1"), ui.lines.get(0));
            assertTrue(ui.lines.get(1).contains("+switch-master g g-redis-1 -> g-redis-2"), ui.lines.get(1));

            levels.put("g", EventLevel.ALL);
            ui.lines.clear();
            timeline.record(sentinel("+sentinel", "sentinel " + RUN_ID + " 127.0.0.1 26380 @ g 127.0.0.1 6380", Severity.INFO));
            sleep(LiveEvents.SETTLE_MS + 300);
            assertEquals(1, ui.lines.size(), ui.lines.toString());
            assertTrue(ui.lines.get(0).contains("+sentinel sentinel g-sentinel-2 @ g g-redis-2"), ui.lines.get(0));
            assertTrue(!ui.lines.get(0).contains(RUN_ID), "no run-ids: " + ui.lines.get(0));

            levels.put("g", EventLevel.OFF);
            ui.lines.clear();
            timeline.record(sentinel("+odown", "master g 127.0.0.1 6380 #quorum 2/2", Severity.ERROR));
            sleep(LiveEvents.SETTLE_MS + 300);
            assertEquals(List.of(), ui.lines);
        }
    }
}

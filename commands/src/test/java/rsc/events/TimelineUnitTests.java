package rsc.events;

import org.junit.jupiter.api.Test;
import rsc.result.Severity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** De-duplication of Sentinel events across the sentinels of a group. */
class TimelineUnitTests {

    private static final Instant T = Instant.parse("2026-11-26T05:00:00Z");

    private static Event sdown(int secondsAfter, String sentinel) {
        return new Event(T.plusSeconds(secondsAfter), "g", "sentinel", "+sdown", "master g 127.0.0.1 7000",
                Severity.WARN, 3, Set.of(sentinel));
    }

    @Test
    void theSameEventFromThreeSentinelsIsOneLineSeenByThree() {
        Timeline t = new Timeline();
        List<Event> heard = new ArrayList<>();
        t.listen(heard::add);
        t.record(sdown(0, "127.0.0.1:26379"));
        t.record(sdown(1, "127.0.0.1:26380"));
        t.record(sdown(1, "127.0.0.1:26381"));
        assertEquals(1, t.all().size());
        assertEquals("g +sdown master g 127.0.0.1 7000 (3/3 sentinels)", t.all().get(0).line());
        assertEquals(1, heard.size(), "listeners hear a new line once");
        assertEquals(3, t.current(heard.get(0)).seenBy());
    }

    @Test
    void aSentinelSayingItAgainIsANewOccurrenceNotAFourthSentinel() {
        Timeline t = new Timeline();
        t.record(sdown(0, "127.0.0.1:26379"));
        t.record(sdown(0, "127.0.0.1:26380"));
        t.record(sdown(1, "127.0.0.1:26381"));
        t.record(sdown(2, "127.0.0.1:26379"));   // the first one again (a flap), within the 5 s window
        assertEquals(List.of("g +sdown master g 127.0.0.1 7000 (3/3 sentinels)", "g +sdown master g 127.0.0.1 7000 (1/3 sentinels)"),
                t.all().stream().map(Event::line).toList());
        t.record(sdown(3, "127.0.0.1:26380"));
        assertEquals("g +sdown master g 127.0.0.1 7000 (2/3 sentinels)", t.all().get(1).line());
        t.all().forEach(e -> assertEquals(true, e.seenBy() <= e.of(), e.line()));
    }

    @Test
    void eventsFurtherApartThanTheWindowOrOfAnotherGroupAreNotMerged() {
        Timeline t = new Timeline();
        t.record(sdown(0, "127.0.0.1:26379"));
        t.record(sdown(6, "127.0.0.1:26380"));
        t.record(new Event(T.plusSeconds(6), "h", "sentinel", "+sdown", "master g 127.0.0.1 7000", Severity.WARN, 3,
                Set.of("127.0.0.1:26381")));
        t.record(new Event(T.plusSeconds(6), "g", "local", "node-down", "g-redis-1", Severity.ERROR));
        t.record(new Event(T.plusSeconds(6), "g", "local", "node-down", "g-redis-1", Severity.ERROR));
        assertEquals(5, t.all().size());
        assertEquals("g node-down g-redis-1 (local)", t.all().get(4).line());
    }

    /** Each sentinel's +odown carries the votes it counted ("#quorum 2/2", "#quorum 3/2"): still one event, 3/3. */
    @Test
    void oneOdownFromThreeSentinelsCountingDifferentVotesIsOneLine() {
        Timeline t = new Timeline();
        String[] votes = {"2/2", "3/2", "3/2"};
        for (int i = 0; i < 3; i++) {
            t.record(new Event(T, "g", "sentinel", "+odown", "master g 127.0.0.1 7000 #quorum " + votes[i], Severity.ERROR,
                    3, Set.of("127.0.0.1:2638" + i)));
        }
        assertEquals(List.of("g +odown master g 127.0.0.1 7000 #quorum 2/2 (3/3 sentinels)"),
                t.all().stream().map(Event::line).toList());
    }
}

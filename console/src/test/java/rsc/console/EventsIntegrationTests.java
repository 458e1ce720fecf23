package rsc.console;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import rsc.testing.LocalTestBed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12 items 10 and 13: after a planned failover on a real local group (master, 1 replica, 3 sentinels),
 * {@code events} names nodes instead of addresses, one row per event however many sentinels said it, and
 * {@code --json} and {@code --export} carry one schema (the named details and Sentinel's raw text, ISO times).
 */
@Tag("integration")
class EventsIntegrationTests {

    private static final String G = "evx";
    private static final Pattern ADDRESS = Pattern.compile("127\\.0\\.0\\.1[ :]\\d+");

    private final LocalRuns main = new LocalRuns("rsc-events");
    private final Path dir = main.dir();
    private final int port = LocalTestBed.freePorts(10);
    private final ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    @AfterEach
    void removeGroupsAndFiles() throws IOException {
        main.close();
    }

    /** Master, 1 replica, 3 sentinels deciding within 2 s. */
    private void createGroup() {
        LocalRuns.Run r = main.run("-c", "create-master " + G + " --port " + port + "; scale slaves 1 --port " + (port + 1)
                + "; scale sentinels 3 --port " + (port + 5) + " --down-after 2000");
        assertEquals(0, r.status(), r.err());
    }

    @Test
    void aFailoverReadsInNodeNamesAndJsonAndExportShareOneSchemaWithTheRawText() throws Exception {
        createGroup();
        Path export = dir.resolve("failover.jsonl");
        LocalRuns.Run r = main.run("--json", "-c", "watch --for 1s; failover; wait agreement --timeout 30s; watch --for 2s; "
                + "events --group " + G + "; events --group " + G + " --export " + export + "; events --group other; "
                + "events --since 1s");
        assertEquals(0, r.status(), r.err() + r.out());
        JsonNode doc = mapper.readTree(r.out());
        JsonNode rows = doc.get("results").get(4).get("tables").get("events");
        assertTrue(rows.size() > 0, r.out());
        assertEquals(0, doc.get("results").get(6).get("tables").get("events").size(), "--group filters: " + r.out());
        doc.get("results").get(7).get("tables").get("events").forEach(row -> {
            assertTrue(Instant.parse(row.get("at").asText()).isAfter(Instant.parse(rows.get(0).get("at").asText())),
                    "--since 1s leaves out what happened seconds before: " + row);
            assertFalse(row.get("event").asText().equals("+switch-master"), "--since 1s: " + row);
        });
        System.out.println("[events after one failover: " + rows.size() + " rows]");
        rows.forEach(row -> System.out.println("  " + row.get("event").asText() + " " + row.get("details").asText()
                + "  " + row.get("seen")));

        List<String> lines = Files.readAllLines(export);
        assertEquals(rows.size(), lines.size(), "the export holds the rows --json shows");
        List<String> keys = names(rows.get(0));
        assertEquals(List.of("at", "group", "source", "event", "details", "severity", "seen", "raw"), keys);
        for (int i = 0; i < rows.size(); i++) {
            JsonNode row = rows.get(i);
            JsonNode line = mapper.readTree(lines.get(i));
            assertEquals(keys, names(row), "every --json row has the same keys: " + row);
            assertEquals(keys, names(line), "every exported line has the --json keys, in order: " + line);
            assertEquals(row, line, "the same fields in --json and --export");
            Instant.parse(row.get("at").asText());
            assertEquals(G, row.get("group").asText());
            assertFalse(ADDRESS.matcher(row.get("details").asText()).find(),
                    "details name nodes, not addresses: " + row);
        }
        JsonNode sw = only(rows, "+switch-master");
        assertEquals(G + " " + G + "-redis-1 -> " + G + "-redis-2", sw.get("details").asText(), sw.toString());
        assertTrue(ADDRESS.matcher(sw.get("raw").asText()).find(), "the raw text keeps Sentinel's addresses: " + sw);
        assertEquals(3, sw.get("seen").get("count").asInt(), "the three sentinels' +switch-master is one row: " + sw);
        assertEquals(3, sw.get("seen").get("of").asInt());
        // the same event from three sentinels is one row: no two rows share type and raw text within the failover
        Set<String> distinct = new HashSet<>();
        for (JsonNode row : rows) {
            if (row.get("source").asText().equals("sentinel")) {
                assertTrue(distinct.add(row.get("event").asText() + " " + row.get("raw").asText()), "repeated: " + row);
            }
        }
    }

    /** A killed master: each sentinel's +sdown and +odown (with its own vote count) are one row each, in names. */
    @Test
    void aKilledMastersFailoverIsOneRowPerEventWhateverEachSentinelCounted() throws Exception {
        createGroup();
        LocalRuns.Run r = main.run("--json", "-c", "watch --for 1s; kill master; wait switch-master --timeout 30s; "
                + "wait agreement --timeout 30s; watch --for 2s; events --group " + G);
        assertEquals(0, r.status(), r.err() + r.out());
        JsonNode rows = mapper.readTree(r.out()).get("results").get(5).get("tables").get("events");
        JsonNode sdown = only(rows, "+sdown", "master " + G + " " + G + "-redis-1");
        assertEquals(3, sdown.get("seen").get("count").asInt(), "every sentinel saw it, one row: " + sdown);
        JsonNode odown = only(rows, "+odown", null);
        assertTrue(odown.get("details").asText().startsWith("master " + G + " " + G + "-redis-1 #quorum "), odown.toString());
        only(rows, "+switch-master", G + " " + G + "-redis-1 -> " + G + "-redis-2");
        rows.forEach(row -> assertFalse(ADDRESS.matcher(row.get("details").asText()).find(), row.toString()));
    }

    /** Issue 12 item 13: an export that cannot be written is one line saying why, and nothing is left half-made. */
    @Test
    void anExportThatCannotBeWrittenIsOneLineSayingWhy() throws Exception {
        Path missing = dir.resolve("no/such/dir/events.jsonl");
        Path aFile = Files.writeString(dir.resolve("plain"), "x");
        assertOneLineError(main.run("-c", "events --export " + missing), "cannot write " + missing + ": no directory "
                + missing.getParent() + " (create it first)");
        assertOneLineError(main.run("-c", "events --export " + dir), "cannot write " + dir + ": it is a directory");
        assertOneLineError(main.run("-c", "events --export " + aFile.resolve("x.jsonl")),
                "cannot write " + aFile.resolve("x.jsonl") + ": " + aFile + " is not a directory");
        assertOneLineError(main.run("-c", "events --export /proc/rsc-events.jsonl"),
                "cannot write /proc/rsc-events.jsonl: /proc takes no new files");
        assertFalse(Files.exists(missing.getParent()), "no directory made");
        // a directory nobody may write to, root included (tests run as root, which file modes do not stop)
        Path locked = Files.createDirectory(dir.resolve("locked"));
        chattr("+i", locked);
        try {
            assertOneLineError(main.run("-c", "events --export " + locked.resolve("e.jsonl")),
                    "cannot write " + locked.resolve("e.jsonl") + ": operation not permitted");
        } finally {
            chattr("-i", locked);
        }
    }

    private static void chattr(String change, Path p) throws IOException, InterruptedException {
        Process c = new ProcessBuilder("chattr", change, p.toString()).redirectErrorStream(true).start();
        String out = new String(c.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, c.waitFor(), "chattr " + change + " (e2fsprogs, on ext4) is needed: " + out);
    }

    private static void assertOneLineError(LocalRuns.Run r, String start) {
        assertEquals(1, r.status(), r.out() + r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertTrue(r.err().contains(start), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    private static JsonNode only(JsonNode rows, String type) {
        return only(rows, type, null);
    }

    /** The one row of that event (and those details, when given). */
    private static JsonNode only(JsonNode rows, String type, String details) {
        List<JsonNode> found = new ArrayList<>();
        rows.forEach(r -> {
            if (r.get("event").asText().equals(type) && (details == null || r.get("details").asText().equals(details))) {
                found.add(r);
            }
        });
        assertEquals(1, found.size(), type + " rows: " + found);
        return found.get(0);
    }

    private static List<String> names(JsonNode o) {
        List<String> out = new ArrayList<>();
        o.fieldNames().forEachRemaining(out::add);
        return out;
    }
}

package rsc.console;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import rsc.backend.local.LocalBackend;
import rsc.backend.Settings;
import rsc.testing.LocalTestBed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Scripts replayed through {@link Main} against real Redis and Sentinel: exit statuses 0, 1 and 2, as CI sees them. */
@Tag("integration")
class ScriptReplayIntegrationTests {

    private LocalRuns main;
    private Path stateDir;
    private Path dir;
    private int port;

    @BeforeEach
    void setUp() throws IOException {
        main = new LocalRuns("rsc-replay");
        stateDir = main.stateDir();
        dir = main.dir();
        port = LocalTestBed.freePorts(10);
    }

    @AfterEach
    void tearDown() throws IOException {
        main.close();
    }

    private LocalRuns.Run rsc(String... args) {
        return main.run(args);
    }

    private Path script(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void aGoodScriptBuildsAGroupAndExitsZero() throws IOException {
        Path s = script("good.rsc", String.join("\n",
                "# build, check, tear down",
                "create-master replay --port " + port,
                "scale slaves 1 --port " + (port + 1),
                "scale sentinels 1 --port " + (port + 5),
                "expect replicas 1",
                "expect quorum ok",
                "sentinel status",
                "destroy --yes", ""));
        LocalRuns.Run r = rsc(s.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains("> create-master replay --port " + port), "each command is echoed: " + r.err());
        assertTrue(r.out().contains("all 1 sentinel(s) agree"), r.out());
    }

    @Test
    void aFailingCommandStopsTheScriptWithFileLineAndStatusOne() throws IOException {
        Path s = script("bad.rsc", String.join("\n",
                "create-master replay --port " + port,
                "# the next line names a group that does not exist",
                "scale slaves 1 --group nosuch",
                "destroy replay --yes", ""));
        LocalRuns.Run r = rsc(s.toString());
        assertEquals(1, r.status(), r.err());
        assertTrue(r.err().contains(s + ":3: unknown group 'nosuch'"), r.err());
        assertTrue(r.err().lines().noneMatch(l -> l.startsWith("\tat ")), "no stack trace: " + r.err());
        assertEquals(1, new LocalBackend(Settings.fromEnvironment().withStateDir(stateDir)).nodes("replay").size(),
                "the script stopped before 'destroy'");
    }

    @Test
    void keepGoingRunsEveryLineAndStillExitsWithTheFirstFailure() throws IOException {
        Path s = script("keep.rsc", String.join("\n",
                "create-master replay --port " + port,
                "scale slaves 1 --group nosuch",
                "destroy replay --yes", ""));
        LocalRuns.Run r = rsc("--keep-going", s.toString());
        assertEquals(1, r.status(), r.err());
        assertTrue(new LocalBackend(Settings.fromEnvironment().withStateDir(stateDir)).nodes("replay").isEmpty(),
                "the line after the failure ran");
    }

    @Test
    void aUsageErrorExitsTwoAndAPortInUseIsOneLine() throws IOException {
        LocalRuns.Run usage = rsc("-c", "create-master replay --port " + port + "; scale slaves two");
        assertEquals(2, usage.status(), usage.err());
        assertTrue(usage.err().contains("-c:2: N must be a count from 0 to 1000, not 'two'"), usage.err());
        LocalRuns.Run busy = rsc("-c", "create-master other --port " + port);
        assertEquals(1, busy.status(), busy.err());
        assertEquals(1, busy.err().lines().filter(l -> !l.isBlank()).count(), busy.err());
        assertTrue(busy.err().contains("port " + port + " is in use"), busy.err());
        assertTrue(new LocalBackend(Settings.fromEnvironment().withStateDir(stateDir)).nodes("other").isEmpty(),
                "a failed create-master leaves nothing behind");
    }

    @Test
    void theRunbooksInScriptsReplay() {
        Path scripts = Path.of(System.getProperty("user.dir")).getParent().resolve("scripts");
        LocalRuns.Run up = rsc("--group", "runbook", scripts.resolve("bootstrap.rsc").toString());
        assertEquals(0, up.status(), up.err());
        LocalRuns.Run failover = rsc("--group", "runbook", scripts.resolve("failover.rsc").toString());
        assertEquals(0, failover.status(), failover.err());
        LocalRuns.Run triage = rsc("--group", "runbook", scripts.resolve("triage.rsc").toString());
        assertEquals(0, triage.status(), triage.err());
        assertTrue(triage.out().contains("no findings"), triage.out());
        LocalRuns.Run drill = rsc("--group", "runbook", scripts.resolve("drill.rsc").toString());
        assertEquals(0, drill.status(), drill.err());
        assertTrue(drill.out().contains("+switch-master"), drill.out());
        LocalRuns.Run down = rsc("--group", "runbook", scripts.resolve("teardown.rsc").toString());
        assertEquals(0, down.status(), down.err());
    }

    /** Issue 12 item 8: a failure is said once, on stderr; results stay on stdout; source does not repeat it. */
    @Test
    void aFailureIsSaidOnceOnStderrAlsoThroughSource() throws IOException {
        assertEquals(0, rsc("-c", "create-master once --port " + port).status());
        Path inner = script("inner.rsc", "status\nexpect replicas 3\nstatus\n");
        Path outer = script("outer.rsc", "source " + inner + "\nstatus\n");
        LocalRuns.Run r = rsc(outer.toString());
        assertEquals(1, r.status(), r.err());
        String failure = "expected 3 linked replica(s) of once, found 0";
        assertEquals(1, count(r.err(), failure), "once on stderr:\n" + r.err());
        assertTrue(r.err().contains("inner.rsc:2: " + failure), r.err());
        assertEquals(0, count(r.out(), failure), "not on stdout:\n" + r.out());
        assertTrue(r.out().contains("once-redis-1"), "the status before it is on stdout: " + r.out());

        Path usage = script("usage.rsc", "stauts\n");
        LocalRuns.Run u = rsc(script("outer2.rsc", "source " + usage + "\n").toString());
        assertEquals(2, u.status(), "a usage error inside source exits 2 as it would alone: " + u.err());
        assertEquals(1, count(u.err(), "unknown command 'stauts'"), u.err());
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    /** Issue 12 item 13: one JSON document per invocation, stable keys, the master as an object, one event schema. */
    @Test
    void jsonIsOneDocumentWithStableKeysAndEventsShareOneSchema() throws Exception {
        assertEquals(0, rsc("-c", "create-master js --port " + port + "; scale sentinels 1 --port " + (port + 5)
                + " --force").status());
        Path export = dir.resolve("events.jsonl");
        LocalRuns.Run r = rsc("--json", "-c", "watch --for 1s; scale slaves 1 --port " + (port + 1) + "; status js; sentinel status js; "
                + "events --export " + export);
        assertEquals(0, r.status(), r.err());
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper()
                .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        com.fasterxml.jackson.databind.JsonNode doc = mapper.readTree(r.out());
        assertEquals(5, doc.get("results").size(), r.out());
        assertTrue(doc.get("ok").asBoolean());
        com.fasterxml.jackson.databind.JsonNode nodes = doc.get("results").get(2).get("tables").get("nodes");
        assertEquals("js", nodes.get(0).get("group").asText(), "the group is a field, not part of the key");
        com.fasterxml.jackson.databind.JsonNode sentinels = doc.get("results").get(3).get("tables").get("sentinels");
        com.fasterxml.jackson.databind.JsonNode master = sentinels.get(0).get("master");
        assertEquals("js-redis-1", master.get("node").asText(), "the master is an object: " + master);
        assertEquals(port, master.get("port").asInt());
        com.fasterxml.jackson.databind.JsonNode events = doc.get("results").get(4).get("tables").get("events");
        assertTrue(events.size() > 0, r.out());
        java.util.List<String> exported = Files.readAllLines(export);
        assertEquals(events.size(), exported.size());
        com.fasterxml.jackson.databind.JsonNode line = mapper.readTree(exported.get(0));
        assertEquals(iterable(events.get(0).fieldNames()), iterable(line.fieldNames()), "one schema");
        java.time.Instant.parse(events.get(0).get("at").asText());
        java.time.Instant.parse(line.get("at").asText());
    }

    private static java.util.List<String> iterable(java.util.Iterator<String> names) {
        java.util.List<String> out = new java.util.ArrayList<>();
        names.forEachRemaining(out::add);
        return out;
    }
}

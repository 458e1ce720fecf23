package rsc.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainUnitTests {

    @TempDir
    Path dir;

    /** What one run of {@code rsc} printed and how it ended. */
    record Run(int status, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    private Run rsc(String stdin, String... args) {
        List<String> all = new ArrayList<>(List.of("--backend", "local", "--state-dir", dir.resolve("state").toString()));
        all.addAll(List.of(args));
        return raw(stdin, all.toArray(String[]::new));
    }

    private static Run raw(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path script(String name, String... lines) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, String.join("\n", lines) + "\n");
        return p;
    }

    @Test
    void binaryAndEndlessScriptsEndInOneLineNamingTheFile() throws Exception {
        Path binary = dir.resolve("binary.rsc");
        Files.write(binary, new byte[]{(byte) 0xc3, (byte) 0x28, '\n'});
        Run r = rsc("", binary.toString());
        assertEquals(2, r.status());
        assertEquals(List.of("error: " + binary + ":1: not a text file (not UTF-8): is it a script?"), r.errLines());
        r = rsc("", "/dev/zero");
        assertEquals(2, r.status());
        assertEquals(List.of("error: /dev/zero:1: not a text file (a NUL byte): is it a script?"), r.errLines());
        r = rsc("", "-c", "source /dev/zero");
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains("/dev/zero:1: not a text file"), r.err());
    }

    @Test
    void anImageThatIsNoDockerReferenceIsAUsageErrorBeforeAnyDockerCall() {
        for (String image : List.of("$(id)", "", "Redis:7", "redis:7 --privileged", "a;b")) {
            Run r = raw("", "--backend", "swarm", "--image", image, "-c", "help");
            assertEquals(2, r.status(), image);
            assertEquals(1, r.errLines().size(), r.err());
            assertTrue(r.err().startsWith("error: --image '") && r.err().contains("is not a Docker image reference"), r.err());
        }
        for (String image : List.of("redis:7-alpine", "rsc-redis:local", "localhost:5000/team/redis:7.0",
                "redis@sha256:" + "a".repeat(64))) {
            assertEquals(0, raw("", "--image", image, "--version").status(), image);
        }
    }

    @Test
    void unknownFlagIsOneErrorLineAndExitStatus2() {
        Run r = raw("", "--bogus");
        assertEquals(2, r.status());
        assertEquals(List.of("error: unknown option '--bogus' (try 'rsc --help')"), r.errLines());
        assertEquals("", r.out());
    }

    @Test
    void badOrMissingValuesAreUsageErrors() {
        for (String[] args : List.of(new String[] {"--backend"}, new String[] {"--backend", "cloud"},
                new String[] {"--group", "bad name"}, new String[] {"-c", "help", "script.rsc"},
                new String[] {"--json=yes"}, new String[] {"a.rsc", "b.rsc"})) {
            Run r = raw("", args);
            assertEquals(2, r.status(), String.join(" ", args));
            assertEquals(1, r.errLines().size(), r.err());
            assertTrue(r.err().startsWith("error: "), r.err());
        }
    }

    @Test
    void helpAndVersionExit0() {
        Run help = raw("", "--help");
        assertEquals(0, help.status());
        assertTrue(help.out().contains("usage: rsc"));
        Run version = raw("", "--version");
        assertEquals(0, version.status());
        assertTrue(version.out().startsWith("rsc "));
    }

    @Test
    void aGoodScriptExits0() throws Exception {
        Path s = script("good.rsc", "# a comment", "use a", "", "set output json", "help");
        Run r = rsc("", s.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains("> use a"), "file replay echoes each command: " + r.err());
        JsonNode doc = new ObjectMapper().readTree(r.out().lines().reduce((a, b) -> b).orElseThrow());
        JsonNode last = doc.get("results").get(doc.get("results").size() - 1);
        assertEquals("help", last.get("command").asText());
        assertTrue(last.get("tables").has("commands"));
    }

    @Test
    void anUnknownCommandAtLine3Exits2NamingFileAndLine() throws Exception {
        Path s = script("bad.rsc", "use a", "help", "frobnicate now", "use b");
        Run r = rsc("", "--file", s.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains(s + ":3: unknown command 'frobnicate'"), r.err());
        assertTrue(!r.err().contains("> use b"), "stops at the first failure");
    }

    @Test
    void keepGoingRunsTheRestButKeepsTheFirstFailuresStatus() throws Exception {
        Path s = script("bad.rsc", "use a", "frobnicate", "use b");
        Run r = rsc("", "--keep-going", s.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("> use b"), r.err());
    }

    @Test
    void aMissingScriptIsOneLineAndExit2() {
        Run r = rsc("", dir.resolve("nope.rsc").toString());
        assertEquals(2, r.status());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().startsWith("error: script file not found: "), r.err());
    }

    @Test
    void oneShotCommandsRunInOrder() {
        Run ok = rsc("", "-c", "use a; use b");
        assertEquals(0, ok.status(), ok.err());
        assertTrue(ok.out().indexOf("current group: a") < ok.out().indexOf("current group: b"), ok.out());
        Run bad = rsc("", "-c", "use a; nope");
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("-c:2: "), bad.err());
    }

    @Test
    void stdinIsAScriptWhenNoTerminal() {
        Run r = rsc("use a\nset output table\n", new String[0]);
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("output: table"), r.out());
        Run bad = rsc("use a\n\nbogus\n", "-");
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("-:3: "), bad.err());
    }

    @Test
    void jsonFlagMakesOneJsonDocumentPerInvocation() throws Exception {
        Run r = rsc("", "--json", "-c", "use a; help scale");
        assertEquals(0, r.status(), r.err());
        List<String> docs = r.out().lines().toList();
        assertEquals(1, docs.size(), r.out());
        JsonNode doc = new ObjectMapper().readTree(docs.get(0));
        assertTrue(doc.get("ok").asBoolean());
        assertEquals(2, doc.get("results").size());
        Run one = rsc("", "--json", "-c", "help scale");
        assertEquals("help scale", new ObjectMapper().readTree(one.out()).get("command").asText(), "one command: its document");
        Run bad = rsc("", "--json", "-c", "use a; frobnicate");
        JsonNode failed = new ObjectMapper().readTree(bad.out());
        assertFalse(failed.get("ok").asBoolean());
        assertTrue(failed.get("results").get(1).get("messages").get(0).get("text").asText().contains("frobnicate"), bad.out());
    }
}

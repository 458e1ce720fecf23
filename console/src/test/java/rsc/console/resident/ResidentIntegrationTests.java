package rsc.console.resident;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import rsc.console.resident.Launcher.Run;
import rsc.testing.LocalTestBed;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The resident console as an operator meets it: the real {@code ./rsc} launcher (bash), one-shots against a real
 * master and sentinel, answered by a warm JVM after the first. Each test has its own resident directory, and every
 * resident console a test starts is stopped after it.
 */
@Tag("integration")
class ResidentIntegrationTests {

    private static LocalTestBed bed;

    private Path residents;
    private Path work;

    @BeforeAll
    static void group() throws IOException {
        bed = new LocalTestBed();
        int port = LocalTestBed.freePorts(10);
        bed.ok("create-master res --port " + port);
        bed.ok("scale sentinels 1 --port " + (port + 5) + " --force");
    }

    @AfterAll
    static void destroy() throws IOException {
        bed.close();
    }

    @BeforeEach
    void dirs() throws IOException {
        residents = Files.createTempDirectory("rsc-resident-");
        work = Files.createTempDirectory("rsc-resident-cwd-");
    }

    @AfterEach
    void stopEveryResident() throws IOException {
        for (Path endpoint : endpoints()) {
            pid(endpoint).flatMap(ProcessHandle::of).ifPresent(p -> {
                p.destroyForcibly();
                p.onExit().orTimeout(10, TimeUnit.SECONDS).join();
            });
        }
        for (Path p : new Path[]{residents, work}) {
            try (Stream<Path> s = Files.walk(p)) {
                s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private Launcher launcher() {
        return new Launcher(work, Map.of(
                "RSC_RESIDENT_DIR", residents.toString(),
                "RSC_STATE_DIR", bed.stateDir().toString(),
                "RSC_BACKEND", "local",
                "RSC_RESIDENT_IDLE", "120"));
    }

    private Run rsc(Map<String, String> env, String... args) throws Exception {
        return launcher().run(env, args);
    }

    private Run rsc(String... args) throws Exception {
        return rsc(Map.of(), args);
    }

    private Process start(Map<String, String> env, String... args) throws IOException {
        return launcher().start(env, args);
    }

    private List<Path> endpoints() throws IOException {
        try (Stream<Path> s = Files.walk(residents)) {
            return s.filter(p -> p.getFileName().toString().equals("endpoint")).toList();
        }
    }

    private static Optional<Long> pid(Path endpoint) {
        try {
            String[] f = Files.readString(endpoint).trim().split(" ");
            return Optional.of(Long.parseLong(f[2]));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static void within(Duration limit, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within " + limit.toSeconds() + " s: " + what);
            }
            Thread.sleep(50);
        }
    }

    private boolean hasEndpoints(int n) {
        try {
            return endpoints().size() == n;
        } catch (IOException e) {
            return false;
        }
    }

    /** The first one-shot starts the resident console; waits until it listens. */
    private Path residentStarted() throws Exception {
        Run first = rsc("-c", "help");
        assertEquals(0, first.status(), first.err());
        within(Duration.ofSeconds(30), "a resident console publishes its endpoint", () -> hasEndpoints(1));
        return endpoints().get(0);
    }

    private String residentStatus() throws Exception {
        Run s = rsc("--resident", "status");
        assertEquals(0, s.status(), s.err());
        return s.out();
    }

    @Test
    void theNextOneShotsAreAnsweredByTheResidentConsoleExactlyAsByTheirOwnJvm() throws Exception {
        Path endpoint = residentStarted();
        assertTrue(residentStatus().contains(", 0 one-shot(s) answered"), residentStatus());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(endpoint)),
                "only its user can read the token");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(endpoint.getParent())));

        Map<String, String> ownJvm = Map.of("RSC_RESIDENT", "0");
        String[][] oneShots = {
                {"-c", "help"},
                {"--group", "res", "-c", "sentinel status"},
                {"-c", "status res; sentinel ckquorum res"},
                {"--json", "-c", "sentinel status res"},
                {"--group", "res", "-c", "expect role res-redis-1 replica"},   // fails: status 1, one line
                {"-c", "status nosuch"},                                   // fails: unknown group
                {"-c", "sentinel status; frobnicate"},                     // usage error: status 2
        };
        for (String[] args : oneShots) {
            Run resident = rsc(args);
            Run own = rsc(ownJvm, args);
            String what = String.join(" ", args);
            assertEquals(own.status(), resident.status(), what + ": " + resident.err());
            assertEquals(own.err(), resident.err(), what);
            assertEquals(own.out().replaceAll("\\d+ B", "N B"), resident.out().replaceAll("\\d+ B", "N B"), what);
        }
        assertTrue(rsc("-c", "status res").out().contains("res-redis-1"));
        assertEquals(1, rsc("--group", "res", "-c", "expect role res-redis-1 replica").status());
        assertEquals(2, rsc("-c", "frobnicate").status());
        assertTrue(residentStatus().contains(", " + (oneShots.length + 3) + " one-shot(s) answered"), residentStatus());
    }

    @Test
    void commandsThatChangeTheTopologyRunInTheirOwnJvm() throws Exception {
        residentStarted();
        Run dry = rsc("-c", "scale slaves 1 --group res --dry-run");
        assertEquals(0, dry.status(), dry.err());
        assertTrue(dry.out().contains("dry run: nothing was changed"), dry.out());
        Run source = rsc("-c", "source nosuch.rsc");
        assertNotEquals(0, source.status());
        assertTrue(residentStatus().contains(", 0 one-shot(s) answered"), residentStatus());
    }

    @Test
    void aCallerWithoutTheTokenIsTurnedAwayUnanswered() throws Exception {
        Path endpoint = residentStarted();
        try (ResidentSocket s = ResidentSocket.connect(endpoint)) {
            s.send("rsc-resident-1", "0".repeat(64), "any key", "run", "2", "-c", "status res");
            assertEquals("dwrong token\n", s.readToEnd(Duration.ofSeconds(10)));
        }
        try (ResidentSocket s = ResidentSocket.connect(endpoint)) {
            s.sendRaw("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.UTF_8));
            assertEquals("", s.readToEnd(Duration.ofSeconds(10)), "not a launcher: closed without a word");
        }
        assertTrue(residentStatus().contains(", 0 one-shot(s) answered"), residentStatus());
    }

    @Test
    void aFloodOfSilentConnectionsIsTurnedAwayAndOneShotsStillAnswer() throws Exception {
        Path endpoint = residentStarted();
        List<ResidentSocket> silent = new ArrayList<>();
        try {
            for (int i = 0; i < ResidentServer.MAX_CONNECTIONS; i++) {
                silent.add(ResidentSocket.connect(endpoint));
            }
            try (ResidentSocket extra = ResidentSocket.connect(endpoint)) {
                long t0 = System.nanoTime();
                assertEquals("", extra.readToEnd(Duration.ofSeconds(10)), "closed unanswered");
                assertTrue(System.nanoTime() - t0 < 3_000_000_000L, "at once, not after the silent ones time out");
            }
            Run meanwhile = rsc("-c", "status res");   // the launcher runs it in its own JVM instead
            assertEquals(0, meanwhile.status(), meanwhile.err());
            assertTrue(meanwhile.out().contains("res-redis-1"), meanwhile.out());
        } finally {
            for (ResidentSocket s : silent) {
                s.close();
            }
        }
        within(Duration.ofSeconds(10), "the resident console answers again", () -> {
            try {
                return rsc("-c", "help").status() == 0 && residentStatus().contains(", 1 one-shot(s) answered");
            } catch (Exception e) {
                return false;
            }
        });
    }

    @Test
    void ctrlCAtTheLauncherInterruptsTheCommandInTheResidentConsole() throws Exception {
        residentStarted();
        Process watch = start(Map.of(), "-c", "watch --for 120s --group res");
        within(Duration.ofSeconds(20), "the watch runs in the resident console", () -> {
            try {
                return residentStatus().contains("1 running");
            } catch (Exception e) {
                return false;
            }
        });
        watch.destroy();   // the launcher dies as on Ctrl-C; its connection closes
        assertTrue(watch.waitFor(10, TimeUnit.SECONDS));
        within(Duration.ofSeconds(10), "the interrupted watch ends", () -> {
            try {
                return residentStatus().contains("1 one-shot(s) answered, idle");
            } catch (Exception e) {
                return false;
            }
        });
    }

    @Test
    void anotherEnvironmentGetsAResidentConsoleOfItsOwn() throws Exception {
        Path first = residentStarted();
        Map<String, String> other = Map.of("RSC_NETWORK", "elsewhere");
        assertEquals(0, rsc(other, "-c", "help").status());
        within(Duration.ofSeconds(30), "a second resident console for the other environment", () -> hasEndpoints(2));
        assertEquals(0, rsc(other, "-c", "help").status());
        assertTrue(residentStatus().contains(", 0 one-shot(s) answered"), "the first one answered nothing: " + residentStatus());
        assertTrue(rsc(other, "--resident", "status").out().contains(", 1 one-shot(s) answered"));
        assertTrue(Files.exists(first));
    }

    @Test
    void itStopsWhenToldAndWhenIdle() throws Exception {
        Path endpoint = residentStarted();
        ProcessHandle server = ProcessHandle.of(pid(endpoint).orElseThrow()).orElseThrow();
        Run stop = rsc("--resident", "stop");
        assertTrue(stop.out().contains("resident console stopped"), stop.out());
        assertTrue(server.onExit().orTimeout(15, TimeUnit.SECONDS).join() != null);
        assertFalse(Files.exists(endpoint));
        assertTrue(rsc("--resident", "status").out().contains("no resident console"));

        Map<String, String> brief = Map.of("RSC_RESIDENT_IDLE", "2");
        assertEquals(0, rsc(brief, "-c", "help").status());
        within(Duration.ofSeconds(30), "a resident console starts again", () -> hasEndpoints(1));
        ProcessHandle idle = ProcessHandle.of(pid(endpoints().get(0)).orElseThrow()).orElseThrow();
        assertTrue(idle.onExit().orTimeout(30, TimeUnit.SECONDS).join() != null, "it stops after 2 s unused");
        within(Duration.ofSeconds(5), "its endpoint is gone", () -> hasEndpoints(0));
    }

    /**
     * The launcher's client verifies the listener with Linux's socket numbers (Socket.pm costs a one-shot 15 ms), and
     * with Socket.pm's where the platform is not Linux: both reach the resident console and pass its credentials
     * check (a wrong key is then declined by the console, not refused by the client).
     */
    @Test
    void theLaunchersClientVerifiesTheListenerWithAndWithoutSocketPm() throws Exception {
        Path endpoint = residentStarted();
        Path client = Launcher.ROOT.resolve("scripts/resident-client.pl");
        for (String platform : new String[]{"", "$^O = 'other';"}) {
            // perl -e 'PLATFORM my $f = shift; do $f; die $@ if $@' CLIENT DIR status, its verdict (fd 3) read
            ProcessBuilder pb = new ProcessBuilder("bash", "-c", "perl -e \"$0 my \\$f = shift; do \\$f; die \\$@ if \\$@\" "
                    + "\"$1\" \"$2\" status 3>&1 1>/dev/null", platform, client.toString(),
                    endpoint.getParent().toString());
            pb.environment().put("RSC_RESIDENT_KEY", "not this console's key");
            pb.redirectErrorStream(true);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertTrue(p.waitFor(20, TimeUnit.SECONDS));
            assertEquals("declined", out, (platform.isEmpty() ? "Linux's numbers" : "Socket.pm's") + ": " + out);
        }
    }

    /**
     * Issue 13: a one-shot's quick way (perl works out the resident console's directory itself, without the bash
     * launcher's forks) reaches the console the bash launcher started and gets the same answer; what it cannot
     * answer (a command that changes the topology) it hands back to the launcher, here one that does not exist.
     */
    @Test
    void theQuickWayIsAnsweredByTheConsoleTheLauncherStarted() throws Exception {
        residentStarted();
        Run bash = rsc("-c", "sentinel status res");
        Run quick = launcher().runQuickWayAlone("-c", "sentinel status res");
        assertEquals(0, quick.status(), quick.err());
        assertEquals(bash.out().lines().filter(l -> !l.contains(" lag ")).count(),
                quick.out().lines().filter(l -> !l.contains(" lag ")).count(), quick.out());
        assertTrue(quick.out().contains("all 1 sentinel(s) agree"), quick.out());
        assertTrue(residentStatus().contains(", 2 one-shot(s) answered"), "both answered by it: " + residentStatus());
        Run declined = launcher().runQuickWayAlone("-c", "scale slaves 1 --group res --dry-run");
        assertTrue(declined.status() != 0 && declined.err().contains("no-such-launcher"),
                "handed back to the launcher: " + declined.status() + " " + declined.err());
    }

    /** Issue 12 item 14: console options before --resident are accepted (one resident console serves them all). */
    @Test
    void residentStatusAcceptsConsoleOptionsBeforeIt() throws Exception {
        Run s = rsc("--backend", "local", "--resident", "status");
        assertEquals(0, s.status(), s.err());
        assertTrue(s.out().contains("no resident console"), s.out());
        Run bad = rsc("--resident", "status", "-c", "status");
        assertEquals(2, bad.status(), bad.out());
    }
}

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
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The resident console against a second local user (a real other uid, made with {@code useradd}) who plants
 * endpoints and listens where the launcher might call: the launcher sends nothing to a listener it has not verified
 * as its own user's resident console, and a forged or stale endpoint costs a one-shot in its own JVM, nothing more.
 */
@Tag("integration")
class ResidentImpostorIntegrationTests {

    private static final String SECRET = "launcher-secret-4711";
    private static LocalTestBed bed;
    private static OtherUser other;
    private static Path impostorScript;

    private Path residents;
    private Path work;
    private Path log;

    @BeforeAll
    static void setUp() throws Exception {
        bed = new LocalTestBed();
        int port = LocalTestBed.freePorts(10);
        bed.ok("create-master res --port " + port);
        other = new OtherUser("rscimpostor");
        impostorScript = Files.createTempFile("rsc-impostor-", ".pl");
        try (InputStream in = ResidentImpostorIntegrationTests.class.getResourceAsStream("impostor.pl")) {
            Files.write(impostorScript, in.readAllBytes());
        }
        Files.setPosixFilePermissions(impostorScript, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterAll
    static void tearDown() throws Exception {
        try {
            if (other != null) {
                other.close();
            }
            Files.deleteIfExists(impostorScript);
        } finally {
            bed.close();
        }
    }

    @BeforeEach
    void dirs() throws IOException {
        residents = Files.createTempDirectory("rsc-impostor-res-");
        work = Files.createTempDirectory("rsc-impostor-cwd-");
        log = Files.createTempFile("rsc-impostor-log-", ".txt");
        Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("rw-rw-rw-"));
    }

    @AfterEach
    void cleanUp() throws IOException {
        for (Path p : new Path[]{residents, work}) {
            try (Stream<Path> s = Files.walk(p)) {
                for (Path f : s.filter(f -> f.getFileName().toString().equals("endpoint")).toList()) {
                    residentPid(f).flatMap(ProcessHandle::of).filter(h -> h.info().command().orElse("").contains("java"))
                            .ifPresent(h -> {
                                h.destroyForcibly();
                                h.onExit().orTimeout(10, TimeUnit.SECONDS).join();
                            });
                }
            }
            delete(p);
        }
        Files.deleteIfExists(log);
    }

    private static void delete(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private static Optional<Long> residentPid(Path endpoint) {
        try {
            return Optional.of(Long.parseLong(Files.readString(endpoint).trim().split(" ")[2]));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private Launcher launcher(Map<String, String> env) {
        Map<String, String> all = new HashMap<>(Map.of(
                "RSC_STATE_DIR", bed.stateDir().toString(),
                "RSC_BACKEND", "local",
                "RSC_PASSWORD", SECRET,
                "RSC_RESIDENT_IDLE", "60"));
        all.putAll(env);
        return new Launcher(work, all);
    }

    /** Where the launcher would look, as {@code ./rsc --resident status} names it; empty when it names none. */
    private static Optional<Path> residentDir(Launcher l) throws Exception {
        Run s = l.run("--resident", "status");
        Matcher m = Pattern.compile("\\((/[^)]*)\\)").matcher(s.out());
        return m.find() ? Optional.of(Path.of(m.group(1))) : Optional.empty();
    }

    /** The second user's listener: at DIR/socket and DIR/endpoint (when dir is given) and on a TCP port (when given). */
    private Process impostor(Optional<Path> dir, Optional<Integer> port) throws Exception {
        Process p = other.start(impostorScript.toString(), log.toString(),
                dir.map(Path::toString).orElse("-"), port.map(String::valueOf).orElse("-"));
        String first = OtherUser.firstLine(p);
        assertTrue(first.startsWith("listening"), "the impostor starts: " + first);
        return p;
    }

    /** A real answer of the real group, from rsc itself, and the impostor heard nothing. */
    private void answeredTruthfully(Launcher l) throws Exception {
        Run r = l.run("-c", "status res");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("res-redis-1"), r.out());
        assertFalse(r.out().contains("FORGED"), r.out());
        String heard = Files.readString(log);
        assertEquals("", heard, "the launcher sent the impostor: " + heard);
    }

    @Test
    void aResidentDirectoryOwnedByAnotherUserIsIgnored() throws Exception {
        Files.setPosixFilePermissions(residents, PosixFilePermissions.fromString("rwxrwxrwx"));
        Launcher l = launcher(Map.of("RSC_RESIDENT_DIR", residents.toString()));
        Path dir = residentDir(l).orElse(residents.resolve("any"));
        assertEquals(0, other.runAs("mkdir", "-p", "-m", "700", dir.toString()));
        Process fake = impostor(Optional.of(dir), Optional.of(LocalTestBed.freePorts(1)));
        answeredTruthfully(l);
        answeredTruthfully(l);
        assertTrue(fake.isAlive());
    }

    @Test
    void withoutHomeThereIsNoSharedFallbackDirectory() throws Exception {
        Map<String, String> noHome = new HashMap<>();
        noHome.put("HOME", null);
        Launcher l = launcher(noHome);
        Optional<Path> dir = residentDir(l);
        Path made = null;
        try {
            if (dir.isPresent()) {   // the launcher names a directory: the second user makes it first
                made = dir.get();
                Files.createDirectories(made.getParent());
                assertFalse(Files.exists(made), "a leftover " + made);
                Files.createDirectories(made);
                assertEquals(0, new ProcessBuilder("chown", other.name(), made.toString()).start().waitFor());
                Files.setPosixFilePermissions(made, PosixFilePermissions.fromString("rwx------"));
                impostor(dir, Optional.of(LocalTestBed.freePorts(1)));
            }
            answeredTruthfully(l);
            answeredTruthfully(l);
            Run status = l.run("--resident", "status");
            assertTrue(status.out().contains("HOME is not set"), status.out());
        } finally {
            if (made != null) {
                delete(made);
            }
        }
    }

    @Test
    void afterKillNineNoOtherUserCanTakeTheResidentConsolesPlace() throws Exception {
        Launcher l = launcher(Map.of("RSC_RESIDENT_DIR", residents.toString()));
        Path endpoint = residentStarted(l);
        String[] fields = Files.readString(endpoint).trim().split(" ");
        ProcessHandle resident = ProcessHandle.of(Long.parseLong(fields[2])).orElseThrow();
        resident.destroyForcibly();
        resident.onExit().orTimeout(10, TimeUnit.SECONDS).join();
        // the second user listens where the dead one did: its port (seen in 'ss -l') or its socket
        Optional<Integer> port = fields[0].matches("\\d+") ? Optional.of(Integer.parseInt(fields[0])) : Optional.empty();
        Process fake = other.start(impostorScript.toString(), log.toString(), endpoint.getParent().toString(),
                port.map(String::valueOf).orElse("-"));
        OtherUser.firstLine(fake);
        answeredTruthfully(l);
    }

    /**
     * The user's own resident directory that only the user can write, but others can read (0755: made by hand, or by an
     * older rsc): rsc once ignored it without a word, so every one-shot ran in its own JVM. It is made private (0700)
     * and used; one others could write stays ignored (above).
     */
    @Test
    void yourOwnDirectoryOthersCanOnlyReadIsMadePrivateAndUsed() throws Exception {
        Files.setPosixFilePermissions(residents, PosixFilePermissions.fromString("rwxr-xr-x"));
        Launcher l = launcher(Map.of("RSC_RESIDENT_DIR", residents.toString()));
        Path endpoint = residentStarted(l);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(residents)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(endpoint.getParent())));
        assertEquals(0, l.run("-c", "help").status());
        assertTrue(l.run("--resident", "status").out().contains(", 1 one-shot(s) answered"));
    }

    @Test
    void anEndpointOrDirectoryOthersCouldWriteIsIgnored() throws Exception {
        Launcher l = launcher(Map.of("RSC_RESIDENT_DIR", residents.toString()));
        Path endpoint = residentStarted(l);
        assertTrue(l.run("--resident", "status").out().contains(", 0 one-shot(s) answered"));
        Files.setPosixFilePermissions(endpoint, PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals(0, l.run("-c", "help").status());
        Files.setPosixFilePermissions(endpoint, PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(endpoint.getParent(), PosixFilePermissions.fromString("rwxrwxrwx"));
        assertEquals(0, l.run("-c", "help").status());
        Files.setPosixFilePermissions(endpoint.getParent(), PosixFilePermissions.fromString("rwx------"));
        Run status = l.run("--resident", "status");
        assertTrue(status.out().contains(", 0 one-shot(s) answered"), "both ran in their own JVM: " + status.out());
        assertEquals(0, l.run("-c", "help").status());
        assertTrue(l.run("--resident", "status").out().contains(", 1 one-shot(s) answered"));
    }

    @Test
    void aRequestTricklingInIsCutOffAtItsDeadline() throws Exception {
        Launcher l = launcher(Map.of("RSC_RESIDENT_DIR", residents.toString()));
        Path endpoint = residentStarted(l);
        try (ResidentSocket s = ResidentSocket.connect(endpoint)) {
            long t0 = System.nanoTime();
            byte[] request = "rsc-resident-1\0".repeat(100).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < request.length; i++) {
                if (!s.write(request[i])) {
                    break;   // closed by the resident console
                }
                if (System.nanoTime() - t0 > Duration.ofSeconds(20).toNanos()) {
                    fail("a request sent one byte a second still held its connection after 20 s");
                }
                Thread.sleep(1000);
            }
            long took = System.nanoTime() - t0;
            assertTrue(took < Duration.ofSeconds(10).toNanos(), "cut off after " + took / 1_000_000 + " ms");
        }
        assertEquals(0, l.run("-c", "help").status());
    }

    /** The first one-shot starts a resident console; its endpoint file, once it is published. */
    private Path residentStarted(Launcher l) throws Exception {
        assertEquals(0, l.run("-c", "help").status());
        return awaitEndpoint();
    }

    private Path awaitEndpoint() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try (Stream<Path> s = Files.walk(residents)) {
                List<Path> e = s.filter(p -> p.getFileName().toString().equals("endpoint")).toList();
                if (!e.isEmpty()) {
                    return e.get(0);
                }
            }
            Thread.sleep(100);
        }
        return fail("no resident console published an endpoint within 30 s");
    }
}

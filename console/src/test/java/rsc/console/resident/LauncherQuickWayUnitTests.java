package rsc.console.resident;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher's quick way to the resident console ({@code scripts/resident-client.pl --launch}) must find the very
 * directory the bash launcher names for the same environment (its {@code resident_key}, cksum(1) included), and must
 * step aside exactly when the bash launcher's {@code find -newer} would rebuild: these compare the two, the perl
 * loaded as a library.
 */
class LauncherQuickWayUnitTests {

    private static final Path CLIENT = Launcher.ROOT.resolve("scripts/resident-client.pl");
    private Path tmp;

    @BeforeEach
    void dir() throws IOException {
        tmp = Files.createTempDirectory("rsc-quick-").toRealPath();
    }

    @AfterEach
    void clean() throws IOException {
        try (Stream<Path> s = Files.walk(tmp)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private String run(List<String> cmd, Map<String, String> env, byte[] stdin) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());   // PWD is bash's only where it is
        pb.environment().keySet().removeIf(k -> k.startsWith("RSC_") || k.startsWith("DOCKER_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().write(stdin);
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + err);
        assertEquals("", err, "nothing on stderr");
        return out;
    }

    /** perl -e 'load the client as a library; CODE' ARGS... */
    private String perl(String code, Map<String, String> env, byte[] stdin, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("perl", "-e",
                "$main::RSC_CLIENT_LIBRARY = 1; do $ARGV[0] or die \"load: $@ $!\"; shift @ARGV; " + code, CLIENT.toString()));
        cmd.addAll(List.of(args));
        return run(cmd, env, stdin);
    }

    @Test
    void itsCksumIsCksum1s() throws Exception {
        List<byte[]> inputs = List.of(new byte[0], "a".getBytes(StandardCharsets.UTF_8), "hello\n".getBytes(StandardCharsets.UTF_8),
                ("rsc-resident-1\ncwd=/home/op/été\nbuild=build 1 2\nHOME=/home/op\nRSC_X=a b\n").getBytes(StandardCharsets.UTF_8),
                "x".repeat(70_000).getBytes(StandardCharsets.UTF_8), new byte[]{0, (byte) 0xff, 10, (byte) 0x80});
        for (byte[] in : inputs) {
            String ours = perl("binmode STDIN; local $/; my $d = <STDIN> // ''; print main::cksum($d)", Map.of(), in);
            String theirs = run(List.of("cksum"), Map.of(), in).split(" ")[0];
            assertEquals(theirs, ours, in.length + " bytes");
        }
    }

    @Test
    void itNamesTheDirectoryAndKeyTheLauncherNames() throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HOME", tmp.toString());
        env.put("PWD", tmp.toString());
        env.put("RSC_CLASSPATH", "/opt/rsc/a.jar:/opt/rsc/b.jar");
        env.put("RSC_NOTE", "two words = and\nanother line, été");
        env.put("RSC_BACKEND", "swarm");
        env.put("RSC__LEADING", "_");
        env.put("RSC_a_lower", "lower");
        env.put("DOCKER_HOST", "unix:///var/run/docker.sock");
        env.put("DOCKER_CONTEXT", "default");
        env.put("RSC_NOT-A-NAME", "bash cannot hold this one");
        env.put("RSC_RESIDENT_IDLE", "30");
        env.put("RSC_BUILD_ONLY", "");
        for (String base : new String[]{null, tmp.resolve("residents") + "/"}) {
            Map<String, String> e = new LinkedHashMap<>(env);
            if (base != null) {
                e.put("RSC_RESIDENT_DIR", base);
            }
            String bash = run(List.of("bash", "-c", "source <(sed -n '/^resident_key()/,/^}/p' \"$1\"); STAMP=/none; "
                    + "resident_key; printf '%s\\n%s' \"$RDIR\" \"$RKEY\"", "-", Launcher.ROOT.resolve("rsc").toString()), e, new byte[0]);
            String ours = perl("my ($d, $k) = main::launch_key($ARGV[0], $ARGV[1]); print \"$d\\n$k\"", e, new byte[0],
                    tmp.toString(), "/opt/rsc/rsc");
            assertEquals(bash, ours, "RSC_RESIDENT_DIR " + base);
            assertTrue(ours.contains("RSC_NOTE=two words"), ours);
        }
    }

    /** A build tree: the stamp, a jar, lib/, and sources; {@code find -newer} against the stamp, as the launcher asks. */
    private Path tree() throws IOException {
        Path root = tmp.resolve("rsc");
        Files.createDirectories(root.resolve("console/target/lib"));
        Files.createDirectories(root.resolve("console/src/main/java/rsc"));
        Files.createDirectories(root.resolve("commands/src/main/java/rsc"));
        for (String f : new String[]{"pom.xml", "commands/pom.xml", "console/pom.xml", "console/src/main/java/rsc/A.java",
                "commands/src/main/java/rsc/B.java", "console/target/rsc-console-1.jar"}) {
            Files.writeString(root.resolve(f), "x");
        }
        Files.writeString(root.resolve("console/target/.rsc-built"), "build 1 2\n");
        return root;
    }

    private static void age(Path root, Instant at) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                Files.setLastModifiedTime(p, FileTime.from(at));
            }
        }
    }

    private String ours(Path root) throws Exception {
        return perl("my $s = \"$ARGV[0]/console/target/.rsc-built\"; my @s = stat($s); "
                + "print main::maybe_stale($ARGV[0], $s, $s[9]) ? 'stale' : 'fresh'", Map.of(), new byte[0], root.toString());
    }

    private String finds(Path root) throws Exception {
        String out = run(List.of("bash", "-c", "cd \"$1\" && find pom.xml commands/pom.xml console/pom.xml commands/src/main "
                + "console/src/main -newer console/target/.rsc-built -print -quit", "-", root.toString()), Map.of(), new byte[0]);
        return out.isBlank() ? "fresh" : "stale";
    }

    @Test
    void itStepsAsideExactlyWhenTheLaunchersFindWouldRebuild() throws Exception {
        Path root = tree();
        Path stamp = root.resolve("console/target/.rsc-built");
        Path source = root.resolve("commands/src/main/java/rsc/B.java");
        Instant built = Instant.parse("2026-12-01T05:00:00.500Z");
        Map<String, Instant> cases = new LinkedHashMap<>();
        cases.put("every source a second older", built.minusSeconds(1));
        cases.put("a source edited in the stamp's second, before it", built.minusMillis(200));
        cases.put("a source edited in the stamp's second, after it", built.plusMillis(200));
        cases.put("a source a second newer", built.plusSeconds(1));
        // Time::HiRes is perl's, not perl-base's: without it a file of the stamp's own second counts as newer (the
        // launcher's find then decides), so the quick way never answers where find would rebuild, exactly or not
        boolean hires = new ProcessBuilder("perl", "-MTime::HiRes", "-e", "1").start().waitFor() == 0;
        List<String> seen = new ArrayList<>();
        for (Map.Entry<String, Instant> c : cases.entrySet()) {
            age(root, built.minusSeconds(5));
            Files.setLastModifiedTime(source, FileTime.from(c.getValue()));
            Files.setLastModifiedTime(stamp, FileTime.from(built));
            if (hires || finds(root).equals("stale")) {
                assertEquals(finds(root), ours(root), c.getKey());
            } else {
                assertEquals("stale", ours(root), c.getKey() + " (no Time::HiRes: find decides)");
            }
            seen.add(ours(root));
        }
        assertEquals(hires ? List.of("fresh", "fresh", "stale", "stale") : List.of("fresh", "stale", "stale", "stale"), seen);

        age(root, built.minusSeconds(5));
        Files.setLastModifiedTime(stamp, FileTime.from(built));
        Files.writeString(root.resolve("console/src/main/java/rsc/New.java"), "x");   // a new file: its directory changes
        Files.setLastModifiedTime(root.resolve("console/src/main/java/rsc/New.java"), FileTime.from(built.minusSeconds(9)));
        assertEquals("stale", finds(root));
        assertEquals("stale", ours(root), "a file added, whatever its own time");
    }
}

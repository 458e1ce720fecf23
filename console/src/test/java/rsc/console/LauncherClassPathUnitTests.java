package rsc.console;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher ({@code ./rsc}) starts the JVM with the class path its build wrote down ({@code rsc.classpath}) rather
 * than working it out again on every start (forks that cost each one-shot about 10 ms), but only when the build that
 * wrote it is the current one; and it finds its build from any directory it is run from. Run against a scratch copy
 * of the launcher over a fake build, with a {@code java} that only writes down what it was given.
 */
class LauncherClassPathUnitTests {

    private static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();

    @TempDir
    Path dir;

    private Path root;
    private Path target;
    private Path stamp;
    private Path argv;

    @BeforeEach
    void fakeBuild() throws Exception {
        root = dir.resolve("root");
        target = root.resolve("console/target");
        Files.createDirectories(target.resolve("lib"));
        Files.copy(REPO.resolve("rsc"), root.resolve("rsc"));
        for (Path jar : List.of(target.resolve("rsc-console-1.jar"), target.resolve("lib/rsc-commands-1.jar"),
                target.resolve("lib/zz-lib.jar"))) {
            Files.createFile(jar);
        }
        stamp = Files.writeString(target.resolve(".rsc-built"), "build 1 1\n");
        Files.setLastModifiedTime(stamp, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        Path bin = Files.createDirectories(dir.resolve("bin"));
        argv = dir.resolve("argv");
        Path java = Files.writeString(bin.resolve("java"), "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done >'"
                + argv + "'\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
    }

    /** The class path the launcher gave java, run as {@code launcher} from {@code from}. */
    private String classPath(Path from, String launcher) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(List.of("bash", launcher, "-c", "help")).directory(from.toFile())
                .redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("RSC_"));
        pb.environment().put("RSC_RESIDENT", "0");
        pb.environment().put("PATH", dir.resolve("bin") + ":" + System.getenv("PATH"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the launcher did not end");
        assertEquals(0, p.exitValue(), out);
        List<String> args = Files.readAllLines(argv);
        int cp = args.indexOf("-cp");
        assertTrue(cp >= 0 && cp + 1 < args.size(), "no -cp in " + args);
        assertEquals("rsc.console.Main", args.get(cp + 2), "the main class after the class path: " + args);
        return args.get(cp + 1);
    }

    private List<Path> jars(String classPath) throws Exception {
        List<Path> out = new ArrayList<>();
        for (String p : classPath.split(":")) {
            out.add(Path.of(p).toRealPath());
        }
        return out;
    }

    private List<Path> builtJars() throws Exception {
        return List.of(target.resolve("rsc-console-1.jar").toRealPath(), target.resolve("lib/rsc-commands-1.jar").toRealPath(),
                target.resolve("lib/zz-lib.jar").toRealPath());
    }

    @Test
    void theClassPathTheCurrentBuildWroteDownIsTakenAsItIs() throws Exception {
        Files.writeString(target.resolve("rsc.classpath"), "/written/by/the/build.jar:/and/another.jar\n");
        assertEquals("/written/by/the/build.jar:/and/another.jar", classPath(root, "./rsc"));
    }

    @Test
    void oneAnOlderBuildWroteDownIsNotTaken() throws Exception {
        Path written = Files.writeString(target.resolve("rsc.classpath"), "/an/older/build.jar\n");
        Files.setLastModifiedTime(written, FileTime.fromMillis(System.currentTimeMillis() - 120_000));
        assertEquals(builtJars(), jars(classPath(root, "./rsc")));
    }

    @Test
    void withoutOneTheJarsAreFoundFromAnyDirectory() throws Exception {
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere/deeper"));
        assertEquals(builtJars(), jars(classPath(root, "./rsc")));
        assertEquals(builtJars(), jars(classPath(elsewhere, "../../root/rsc")));
        assertEquals(builtJars(), jars(classPath(elsewhere, root.resolve("rsc").toString())));
        String fromElsewhere = classPath(elsewhere, "../../root/rsc");
        assertTrue(fromElsewhere.startsWith("/"), "absolute, whatever the launcher's path: " + fromElsewhere);
    }
}

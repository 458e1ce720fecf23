package rsc.console;

import rsc.backend.Progress;
import rsc.backend.local.LocalBackend;
import rsc.backend.Settings;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@link Main} run in-process on the local backend, as CI runs {@code rsc}, over a state directory of its own and a
 * scratch directory for scripts and exports; {@link #close()} destroys every group made and removes both.
 */
final class LocalRuns implements AutoCloseable {

    /** What one run printed and how it exited. */
    record Run(int status, String out, String err) {
    }

    private final Path stateDir;
    private final Path dir;

    LocalRuns(String prefix) {
        try {
            stateDir = Files.createTempDirectory(prefix + "-state");
            dir = Files.createTempDirectory(prefix + "-files");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    Path stateDir() {
        return stateDir;
    }

    /** A scratch directory for scripts and files the runs write. */
    Path dir() {
        return dir;
    }

    /** {@code rsc --backend local --state-dir DIR ARGS...}, with no input. */
    Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>(List.of("--backend", "local", "--state-dir", stateDir.toString()));
        all.addAll(List.of(args));
        int status = Main.run(all.toArray(String[]::new), new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws IOException {
        LocalBackend backend = new LocalBackend(Settings.fromEnvironment().withStateDir(stateDir));
        try {
            for (String g : backend.groups()) {
                backend.destroy(g, Progress.NONE);
            }
        } finally {
            for (Path p : new Path[]{stateDir, dir}) {
                try (Stream<Path> s = Files.walk(p)) {
                    s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }
    }
}

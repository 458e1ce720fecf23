package rsc.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The docker CLI, as an operator runs it beside rsc: to build things by hand and to check what rsc did. */
public final class DockerCli {

    private DockerCli() {
    }

    /** Runs {@code docker ARGS} (an argument array, never a shell line); fails the test unless it exits 0. */
    public static List<String> run(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("docker");
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", cmd) + " timed out");
            assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + out);
            return out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        } catch (IOException e) {
            throw new AssertionError("cannot run " + String.join(" ", cmd) + " (install docker.io): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** {@link #run}, for clean-up: false instead of a failure. */
    public static boolean quietly(String... args) {
        try {
            run(args);
            return true;
        } catch (AssertionError e) {
            return false;
        }
    }
}

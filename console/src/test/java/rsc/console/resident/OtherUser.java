package rsc.console.resident;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A second local user, made with {@code useradd} for a test and removed with {@code userdel -r} by {@link #close()},
 * together with every process the test ran as it. Plays the attacker on the same machine.
 */
final class OtherUser implements AutoCloseable {

    private final String name;
    private final List<Process> started = new ArrayList<>();

    OtherUser(String name) throws IOException, InterruptedException {
        this.name = name;
        if (run("id", "-u", name) == 0) {
            run("userdel", "-r", name);   // a leftover of a killed run
        }
        if (run("useradd", "-m", "-s", "/bin/sh", name) != 0) {
            fail("useradd " + name + " failed: these tests need root and useradd (Debian: passwd)");
        }
    }

    String name() {
        return name;
    }

    int uid() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("id", "-u", name).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.waitFor();
        return Integer.parseInt(out);
    }

    /** Starts a command as this user; {@link #close()} kills it. */
    Process start(String... command) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("runuser", "-u", name, "--"));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        started.add(p);
        return p;
    }

    /** Runs a command as this user to its end; its exit status. */
    int runAs(String... command) throws IOException, InterruptedException {
        Process p = start(command);
        p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            fail(String.join(" ", command) + " as " + name + " did not finish");
        }
        return p.exitValue();
    }

    /** The first line a started process printed. */
    static String firstLine(Process p) throws IOException {
        InputStream in = p.getInputStream();
        StringBuilder b = new StringBuilder();
        for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
            b.append((char) c);
        }
        return b.toString();
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        run("userdel", "-r", name);
    }
}

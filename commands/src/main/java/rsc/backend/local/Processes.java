package rsc.backend.local;

import rsc.command.RscException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The local backend's processes: whether a daemon still runs, stopping it, signalling it. A killed daemon whose
 * parent (init) does not reap it stays a zombie, which {@link ProcessHandle#isAlive()} counts as alive; it holds no
 * port and no memory, so here it counts as gone.
 */
final class Processes {

    private Processes() {
    }

    static boolean alive(ProcessHandle p) {
        return p.isAlive() && !zombie(p.pid());
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(Processes::alive).orElse(false);
    }

    /** Linux: the state letter after the command's closing parenthesis in /proc/PID/stat. */
    private static boolean zombie(long pid) {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        try {
            String s = Files.readString(stat);
            int close = s.lastIndexOf(')');
            return close > 0 && close + 2 < s.length() && s.charAt(close + 2) == 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    static Optional<ProcessHandle> running(long pid) {
        return ProcessHandle.of(pid).filter(Processes::alive);
    }

    /**
     * Stops a node's process and returns once it is gone; throws (and keeps the node's directory, so nothing is
     * orphaned silently) when it outlives SIGKILL.
     */
    static void stop(NodeRecord r, boolean force) {
        Optional<ProcessHandle> h = r.pid().flatMap(Processes::running);
        if (h.isEmpty()) {
            return;
        }
        ProcessHandle p = h.get();
        if (!isRedis(p)) {
            return;
        }
        signal(p.pid(), "CONT");
        if (force) {
            p.destroyForcibly();
        } else {
            p.destroy();
        }
        if (!awaitExit(p, 5_000)) {
            p.destroyForcibly();
            awaitExit(p, 3_000);
        }
        if (Processes.alive(p)) {
            throw new RscException(r.name() + " (pid " + p.pid() + ") did not stop; its state stays in " + r.dir());
        }
    }

    /** Waits up to {@code millis} for the process to be gone; true when it is. */
    private static boolean awaitExit(ProcessHandle p, long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (Processes.alive(p) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return !Processes.alive(p);
    }

    /** Guards against a recycled pid: only signal a process that is a redis-server. */
    static boolean isRedis(ProcessHandle p) {
        return p.info().command().map(c -> c.contains("redis")).orElse(true);
    }

    static void signal(long pid, String signal) {
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        } catch (IOException e) {
            throw new RscException("cannot send " + signal + " to pid " + pid + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

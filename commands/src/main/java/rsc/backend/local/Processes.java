package rsc.backend.local;

import rsc.error.RscException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether a daemon still runs (or is frozen), and the signals that stop, freeze or thaw it. A killed daemon whose
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

    private static boolean zombie(long pid) {
        return state(pid) == 'Z';
    }

    /** Stopped by a signal (SIGSTOP: a paused node): state T, or t when traced. */
    static boolean frozen(long pid) {
        char s = state(pid);
        return s == 'T' || s == 't';
    }

    /** Linux: the state letter after the command's closing parenthesis in /proc/PID/stat; '?' when unknown. */
    private static char state(long pid) {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        try {
            String s = Files.readString(stat);
            int close = s.lastIndexOf(')');
            return close > 0 && close + 2 < s.length() ? s.charAt(close + 2) : '?';
        } catch (IOException e) {
            return '?';
        }
    }

    static Optional<ProcessHandle> running(long pid) {
        return ProcessHandle.of(pid).filter(Processes::alive);
    }

    /**
     * Stops a node's process and returns once it is gone; throws (and keeps the node's directory, so nothing is
     * orphaned silently) when it outlives SIGKILL.
     */
    static void kill(NodeRecord r, boolean force) {
        Optional<ProcessHandle> h = r.pid().flatMap(Processes::running);
        if (h.isEmpty()) {
            return;
        }
        ProcessHandle p = h.get();
        if (!isRedis(p)) {
            return;
        }
        signalPid(p.pid(), "CONT");
        if (force) {
            p.destroyForcibly();
        } else {
            p.destroy();
        }
        if (!awaitExit(p, 5_000)) {
            p.destroyForcibly();
            awaitExit(p, 3_000);
        }
        if (alive(p)) {
            throw new RscException(r.name() + " (pid " + p.pid() + ") did not stop; its state stays in " + r.dir());
        }
    }

    /** Waits up to {@code millis} for the process to be gone; true when it is. */
    private static boolean awaitExit(ProcessHandle p, long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (alive(p) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return !alive(p);
    }

    /** Guards against a recycled pid: only signal a process that is a redis-server. */
    static boolean isRedis(ProcessHandle p) {
        return p.info().command().map(c -> c.contains("redis")).orElse(true);
    }

    static void signalPid(long pid, String signal) {
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

package rsc.backend.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether a daemon still runs. A killed daemon whose parent (init) does not reap it stays a zombie, which
 * {@link ProcessHandle#isAlive()} counts as alive; it holds no port and no memory, so here it counts as gone.
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
}

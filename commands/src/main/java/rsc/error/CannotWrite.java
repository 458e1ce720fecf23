package rsc.error;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The one line for a file rsc cannot write, {@code cannot write FILE: why}, the same whichever command writes it
 * ({@code events --export}, {@code backup}): the file as the operator named it, never a temporary name or a stack trace.
 */
public final class CannotWrite {

    private CannotWrite() {
    }

    /** Refuses {@code file} before anything is written: its directory is missing or not one, or it is a directory. */
    public static void checkPlace(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw new RscException("cannot write " + file + ": " + (Files.exists(dir)
                    ? dir + " is not a directory" : "no directory " + dir + " (create it first)"));
        }
        if (Files.isDirectory(file)) {
            throw new RscException("cannot write " + file + ": it is a directory");
        }
    }

    /** Why writing {@code file} (or a file beside it) failed, as one line naming {@code file}. */
    public static RscException because(Path file, IOException e) {
        if (e instanceof AccessDeniedException) {
            return new RscException("cannot write " + file + ": permission denied");
        }
        if (e instanceof NoSuchFileException) {
            return new RscException("cannot write " + file + ": " + file.toAbsolutePath().getParent()
                    + " takes no new files");   // /proc, /sys
        }
        if (e instanceof FileSystemException f) {
            String why = f.getReason() == null ? "refused" : f.getReason();
            return new RscException("cannot write " + file + ": " + why.substring(0, 1).toLowerCase(Locale.ROOT)
                    + why.substring(1));
        }
        return new RscException("cannot write " + file + ": " + e.getMessage());
    }
}

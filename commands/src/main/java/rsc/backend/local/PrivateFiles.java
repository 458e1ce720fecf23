package rsc.backend.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Files and directories only the user can read: a node's config may hold the group's password. */
final class PrivateFiles {

    private PrivateFiles() {
    }

    static void setMode(Path p, String mode) throws IOException {
        try {
            Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString(mode));
        } catch (UnsupportedOperationException e) {
            // not POSIX: platform defaults
        }
    }

    /** Writes a file only the user can read: configs may hold the group's password. */
    static void write(Path file, String text) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file);
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not POSIX: platform defaults
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}

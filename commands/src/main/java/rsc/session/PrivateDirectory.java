package rsc.session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * A directory only this user can enter (0700, owned by this uid, not a symbolic link): where rsc keeps history, the
 * resident console's socket and the like. Another uid can then neither read what is in it nor put anything there.
 */
public final class PrivateDirectory {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private PrivateDirectory() {
    }

    /** Null when {@code dir} is a private directory of this user's; else what is wrong with it, in a few words. */
    public static String problem(Path dir) {
        try {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                return dir + " is not a directory";
            }
            int owner = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            if (owner != myUid()) {
                return dir + " belongs to uid " + owner + ", not to this user";
            }
            if (!Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS).equals(OWNER_ONLY)) {
                return dir + " is not 0700";
            }
            return null;
        } catch (IOException | UnsupportedOperationException e) {
            return "cannot check " + dir + ": " + e.getMessage();
        }
    }

    /** Makes {@code dir} (and missing parents) and sets it 0700; an IOException when it is not then private. */
    public static Path ensure(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, OWNER_ONLY);
        }
        String problem = problem(dir);
        if (problem != null && Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
                && (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS) == myUid()) {
            Files.setPosixFilePermissions(dir, OWNER_ONLY);   // an older rsc's 0755 directory of this user's
            problem = problem(dir);
        }
        if (problem != null) {
            throw new IOException(problem);
        }
        return dir;
    }

    private static int myUid() throws IOException {
        return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    }
}

package rsc.secrets;

import rsc.error.RscException;
import rsc.model.Secret;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The console's copy of each group's password, one file per group readable only by the user, so a later console
 * finds the password of a group it manages without being told again.
 */
public final class SecretStore {

    private final Path dir;

    public SecretStore(Path dir) {
        this.dir = dir;
    }

    public Optional<Secret> find(String group) {
        Path f = dir.resolve(group);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            String text = Files.readString(f, StandardCharsets.UTF_8);
            return text.isEmpty() ? Optional.empty() : Optional.of(new Secret(text));
        } catch (IOException e) {
            throw new RscException("cannot read the password of '" + group + "' from " + f + ": " + e.getMessage());
        }
    }

    public void save(String group, Secret secret) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                setMode(dir, "rwx------");
            }
            Path f = dir.resolve(group);
            Path tmp = dir.resolve("." + group + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp);
            setMode(tmp, "rw-------");
            Files.writeString(tmp, secret.reveal(), StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            Files.move(tmp, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new RscException("cannot keep the password of '" + group + "' in " + dir + ": " + e.getMessage());
        }
    }

    /** The rotation under way for this group, if one was begun and not finished. */
    public Optional<Rotation> rotation(String group) {
        return rotations().find(group).map(s -> s.reveal().split("\n", 2)).filter(p -> p.length == 2)
                .map(p -> new Rotation(new Secret(p[0]), new Secret(p[1])));
    }

    /** Keeps both passwords of a rotation until {@link #forgetRotation}; a password never holds a line break. */
    public void saveRotation(String group, Rotation r) {
        rotations().save(group, new Secret(r.old().reveal() + "\n" + r.next().reveal()));
    }

    public void forgetRotation(String group) {
        rotations().forget(group);
    }

    /** {@code .rotating/} beside the groups' files: no group is named so (a name never starts with a dot). */
    private SecretStore rotations() {
        return new SecretStore(dir.resolve(".rotating"));
    }

    public void forget(String group) {
        try {
            Files.deleteIfExists(dir.resolve(".rotating").resolve(group));
            Files.deleteIfExists(dir.resolve(group));
        } catch (IOException e) {
            throw new RscException("cannot remove the password file of '" + group + "': " + e.getMessage());
        }
    }

    private static void setMode(Path p, String mode) throws IOException {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the platform's defaults apply
        }
    }
}

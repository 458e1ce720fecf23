package rsc.ops;

import rsc.backend.Progress;
import rsc.error.CancelledException;
import rsc.error.CannotWrite;
import rsc.error.RscException;
import rsc.redis.RdbCheck;
import rsc.redis.RdbDownload;
import rsc.redis.RdbSummary;
import rsc.result.CommandResult;
import rsc.session.Session;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Locale;

/**
 * {@code backup}: a group's data as an RDB file, taken from an in-sync replica ({@link BackupSource}) over the
 * replication stream ({@link RdbDownload}), so it needs nothing but the replica's port, wherever its container runs.
 * The file is written 0600 beside the target under a temporary name, read back end to end ({@link RdbCheck}: magic,
 * version, every value, CRC-64) and only then renamed into place: the target is either a whole backup or untouched.
 */
public final class Backup {

    static final Duration CONNECT = Duration.ofSeconds(5);
    /** How long the replica may send nothing (it sends a newline each second while it prepares the snapshot). */
    static final Duration IDLE = Duration.ofSeconds(60);

    private Backup() {
    }

    /** What {@link #run} would do, for {@code --dry-run}: chooses the replica now, takes nothing. */
    public static CommandResult plan(Session session, String group, Path to, boolean force) throws InterruptedException {
        Path target = target(to, force);
        BackupSource.Choice c = BackupSource.choose(session, Group.require(session, group));
        Plan p = new Plan("backup " + group + " --to " + target);
        String auth = session.passwords().of(group).isPresent() ? "AUTH <secret>, " : "";
        p.redis(c.replica().name(), auth + "REPLCONF rdb-only 1, REPLCONF capa eof, SYNC (the replica of "
                + c.master().name() + " least behind: " + c.lagBytes() + " bytes)");
        p.backend("rsc", java.util.List.of("write " + target.getParent().resolve("." + target.getFileName() + ".*.part")
                + " (mode 0600)", "check the RDB magic, version, every value and the CRC-64",
                "rename it to " + target + (force && Files.exists(target) ? " (replacing the file there)" : "")));
        return p.note("nothing is asked of the master").result();
    }

    public static CommandResult run(Session session, String group, Path to, boolean force, Progress progress)
            throws InterruptedException {
        Path target = target(to, force);
        Group g = Group.require(session, group);
        BackupSource.Choice c = BackupSource.choose(session, g);
        long keysBefore = session.redis().node(c.replica().announced()).keyCount();
        long start = System.nanoTime();
        Path part = temporary(target);
        try {
            RdbDownload.Transfer t = download(session, group, c, part, target, progress);
            RdbSummary rdb;
            try {
                rdb = RdbCheck.inspect(part);
            } catch (RscException e) {
                throw new RscException("the snapshot from " + c.replica().name() + " is not a whole RDB file ("
                        + e.getMessage() + "); nothing was written to " + target);
            }
            if (rdb.bytes() != t.bytes()) {
                throw new RscException("wrote " + rdb.bytes() + " bytes of the " + t.bytes() + " received");
            }
            move(part, target, force);
            String took = Waiter.since(start);
            CommandResult.Builder b = CommandResult.builder().ok(String.format(Locale.ROOT,
                    "backup of %s from %s (replica, %d bytes behind the master): %s, %d keys (INFO keyspace of %s: %d),"
                            + " RDB version %d, checksum %s, %s -> %s", group, c.replica().name(), c.lagBytes(),
                    size(rdb.bytes()), rdb.keys(), c.replica().name(), keysBefore, rdb.version(), rdb.checksum(), took,
                    target));
            b.info("'restore GROUP --from " + target + "' loads it into a new group; an RDB version " + rdb.version()
                    + " file loads only into a Redis that writes version " + rdb.version() + " or newer");
            return b.build();
        } catch (CancelledException e) {
            delete(part);
            throw new CancelledException("backup cancelled: the partial file was removed, " + target + " is untouched");
        } catch (RuntimeException e) {
            delete(part);
            throw e;
        }
    }

    private static RdbDownload.Transfer download(Session session, String group, BackupSource.Choice c, Path part,
                                                 Path target, Progress progress) {
        long[] shown = {System.nanoTime()};
        try (FileOutputStream file = new FileOutputStream(part.toFile());
             OutputStream out = new BufferedOutputStream(file, 256 * 1024)) {
            RdbDownload.Transfer t = RdbDownload.fetch(c.replica().reach(), session.passwords().of(group), out, n -> {
                if (System.nanoTime() - shown[0] > 500_000_000L) {
                    shown[0] = System.nanoTime();
                    progress.update("received " + size(n) + " from " + c.replica().name());
                }
            }, CONNECT, IDLE);
            out.flush();
            file.getChannel().force(true);
            return t;
        } catch (IOException e) {
            throw CannotWrite.because(target, e);
        }
    }

    /**
     * The absolute target; refused as {@code events --export} refuses its file (a directory, a missing directory), or
     * when it exists without --force.
     */
    static Path target(Path to, boolean force) {
        Path t = to.toAbsolutePath().normalize();
        CannotWrite.checkPlace(t);
        if (Files.exists(t) && !force) {
            throw new RscException(t + " exists: --force replaces it (once the new backup is whole)");
        }
        return t;
    }

    private static Path temporary(Path target) {
        try {
            Path p = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".part",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            p.toFile().deleteOnExit();      // a console stopped by SIGINT/SIGTERM leaves no partial file either
            return p;
        } catch (IOException e) {
            throw CannotWrite.because(target, e);
        }
    }

    private static void move(Path part, Path target, boolean force) {
        try {
            if (force) {
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                // a rename would replace a file that appeared since the check; a link is refused then
                Files.createLink(target, part);
                Files.delete(part);
            }
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new RscException(target + " appeared while the backup ran: --force replaces it");
        } catch (IOException e) {
            throw new RscException("cannot rename " + part + " to " + target + ": " + e.getMessage());
        }
    }

    private static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // best effort: the temporary name says what it is
        }
    }

    static String size(long bytes) {
        if (bytes < 10 * 1024) {
            return bytes + " bytes";
        }
        return bytes < 10L * 1024 * 1024 ? String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0)
                : String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
    }
}

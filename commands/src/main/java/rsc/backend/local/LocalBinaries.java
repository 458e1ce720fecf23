package rsc.backend.local;

import rsc.error.RscException;
import rsc.model.RedisVersion;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Which {@code redis-server} each local node runs. A node keeps the binary it was started on ({@code NODE/binary}), so
 * {@code start NODE} brings it back on the same one; a group's new nodes take the group's binary ({@code GROUP/binary},
 * set by {@code create-master --binary} and by {@code upgrade}); without either, {@link RedisBinary#locate}.
 */
final class LocalBinaries {

    static final String FILE = "binary";

    private final Path stateDir;

    LocalBinaries(Path stateDir) {
        this.stateDir = stateDir;
    }

    /** {@code embedded} (the embedded-redis jar's), {@code host} ({@code redis-server} on PATH) or an executable's path. */
    Path resolve(String choice) {
        return switch (choice) {
            case "embedded" -> RedisBinary.embedded(stateDir);
            case "host" -> RedisBinary.onPath("redis-server").orElseThrow(() -> new RscException(
                    "no redis-server on PATH for --binary host: apt-get install redis-server, or give a path"));
            default -> {
                Path p = Path.of(choice).toAbsolutePath();
                if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
                    throw new RscException("--binary " + choice + " is not an executable file (or 'embedded', 'host')");
                }
                yield p;
            }
        };
    }

    /** What {@code BINARY --version} says ({@code Redis server v=7.0.15 ...}). */
    static RedisVersion version(Path binary) {
        try {
            Process p = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new RscException(binary + " --version did not answer within 5 s");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int v = out.indexOf("v=");
            return RedisVersion.parse(v >= 0 ? out.substring(v + 2) : "").orElseThrow(() -> new RscException(
                    binary + " is not a redis-server: --version said '" + out.strip() + "'"));
        } catch (IOException e) {
            throw new RscException("cannot run " + binary + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new rsc.error.CancelledException();
        }
    }

    /** The binary new nodes of the group start on. */
    Path forGroup(Path groupDir) {
        return pinned(groupDir).orElseGet(() -> RedisBinary.locate(stateDir));
    }

    /** The binary this node runs (started again: the same). */
    Path forNode(NodeRecord r) {
        return pinned(r.dir()).orElseGet(() -> forGroup(r.dir().getParent()));
    }

    /** Records the binary a node or group runs, in {@code dir}. */
    static void pin(Path dir, Path binary) {
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve(FILE + ".tmp");
            Files.writeString(tmp, binary.toAbsolutePath() + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve(FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<Path> pinned(Path dir) {
        try {
            Path f = dir.resolve(FILE);
            return Files.isRegularFile(f) ? Optional.of(Path.of(Files.readString(f).strip())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}

package rsc.backend.local;

import rsc.error.RscException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds the {@code redis-server} to run: the one on PATH (env {@code RSC_REDIS_SERVER} overrides), else the
 * binary the {@code com.github.codemonstur:embedded-redis} jar ships, copied out once under the state directory.
 */
public final class RedisBinary {

    private RedisBinary() {
    }

    public static Path locate(Path stateDir) {
        String override = System.getenv("RSC_REDIS_SERVER");
        if (override != null && !override.isBlank()) {
            Path p = Path.of(override);
            if (!Files.isExecutable(p)) {
                throw new RscException("RSC_REDIS_SERVER=" + override + " is not an executable file");
            }
            return p;
        }
        return onPath("redis-server").orElseGet(() -> embedded(stateDir));
    }

    static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The resource name of the embedded binary for this machine, if the jar has one. */
    static Optional<String> embeddedResource() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (os.contains("linux")) {
            if (arch.equals("amd64") || arch.equals("x86_64")) {
                return Optional.of("redis-server-6.2.6-v5-linux-amd64");
            }
            if (arch.equals("aarch64") || arch.equals("arm64")) {
                return Optional.of("redis-server-6.2.7-linux-arm64");
            }
        }
        if (os.contains("mac")) {
            return Optional.of(arch.contains("aarch64") || arch.contains("arm")
                    ? "redis-server-6.2.6-v5-darwin-arm64" : "redis-server-6.2.6-v5-darwin-amd64");
        }
        return Optional.empty();
    }

    /** The binary the embedded-redis jar ships, copied out under the state directory (once). */
    public static Path embedded(Path stateDir) {
        String resource = embeddedResource().orElseThrow(() -> new RscException(
                "no redis-server on PATH and no embedded binary for this platform: apt-get install redis-server"));
        Path target = stateDir.resolve("bin").resolve(resource);
        if (Files.isExecutable(target)) {
            return target;
        }
        try (InputStream in = RedisBinary.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new RscException("no redis-server on PATH and the embedded-redis jar is missing: apt-get install redis-server");
            }
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), "redis-server", ".tmp");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            tmp.toFile().setExecutable(true, true);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new RscException("cannot unpack the embedded redis-server into " + target + ": " + e.getMessage(), e);
        }
    }
}

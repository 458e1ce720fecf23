package rsc.backend.attached;

import rsc.model.Endpoint;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/** Where attached groups are remembered between consoles: one properties file per group. */
public final class AttachedRegistry {

    private final Path dir;

    public AttachedRegistry(Path dir) {
        this.dir = dir;
    }

    public List<AttachedGroup> all() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<AttachedGroup> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> p.getFileName().toString().endsWith(".properties")).sorted()
                    .forEach(p -> load(p).ifPresent(out::add));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    public Optional<AttachedGroup> find(String group) {
        return load(dir.resolve(group + ".properties"));
    }

    public void save(AttachedGroup g) {
        Properties p = new Properties();
        p.setProperty("group", g.name());
        p.setProperty("sentinels", String.join(",", g.sentinels().stream().map(Endpoint::toString).toList()));
        g.services().ifPresent(s -> p.setProperty("services", s.toString()));
        try {
            Files.createDirectories(dir);
            try (Writer w = Files.newBufferedWriter(dir.resolve(g.name() + ".properties"), StandardCharsets.UTF_8)) {
                p.store(w, "attached by rsc");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void forget(String group) {
        try {
            Files.deleteIfExists(dir.resolve(group + ".properties"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<AttachedGroup> load(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
            List<Endpoint> sentinels = Arrays.stream(p.getProperty("sentinels", "").split(","))
                    .filter(x -> !x.isBlank()).map(Endpoint::parse).toList();
            Optional<rsc.backend.RecipeServices> services = Optional.ofNullable(p.getProperty("services"))
                    .filter(x -> !x.isBlank()).map(rsc.backend.RecipeServices::parse);
            return Optional.of(new AttachedGroup(p.getProperty("group"), sentinels, services));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}

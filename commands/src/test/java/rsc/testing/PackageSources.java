package rsc.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The main sources of one package read as text, for the tests that keep a package off the layers above it. */
public final class PackageSources {

    private PackageSources() {
    }

    /**
     * Every line of {@code src/main/java/<pkg>/*.java} in which {@code pattern} is found, as {@code File.java: line};
     * fails when the package has no sources, so that a moved package cannot pass by being read as empty.
     */
    public static List<String> linesMatching(String pkg, Pattern pattern) {
        Path dir = Path.of("src/main/java", pkg.split("\\."));
        List<Path> sources;
        try (Stream<Path> files = Files.list(dir)) {
            sources = files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (sources.isEmpty()) {
            throw new AssertionError("no sources under " + dir.toAbsolutePath());
        }
        List<String> found = new ArrayList<>();
        for (Path p : sources) {
            try {
                for (String l : Files.readAllLines(p)) {
                    if (pattern.matcher(l).find()) {
                        found.add(p.getFileName() + ": " + l.strip());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return found;
    }
}

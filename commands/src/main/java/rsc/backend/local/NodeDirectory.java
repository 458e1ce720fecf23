package rsc.backend.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The state directory's layout: {@code STATE/GROUP/NODE/node.properties}. */
final class NodeDirectory {

    private final Path root;

    NodeDirectory(Path root) {
        this.root = root;
    }

    Path nodeDir(String group, String node) {
        return root.resolve(group).resolve(node);
    }

    List<String> groups() {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = LocalBackend.list(root)) {
            s.filter(Files::isDirectory).filter(d -> !d.getFileName().toString().equals("bin"))
                    .filter(d -> hasNodes(d))
                    .map(d -> d.getFileName().toString()).sorted().forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static boolean hasNodes(Path groupDir) {
        try (Stream<Path> s = LocalBackend.list(groupDir)) {
            return s.anyMatch(d -> Files.isRegularFile(d.resolve(NodeRecord.FILE)));
        } catch (IOException e) {
            return false;
        }
    }

    List<NodeRecord> records(String group) {
        List<NodeRecord> out = new ArrayList<>();
        for (String g : group == null ? groups() : List.of(group)) {
            try (Stream<Path> s = LocalBackend.list(root.resolve(g))) {
                s.filter(Files::isDirectory).map(NodeRecord::load).flatMap(Optional::stream).forEach(out::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /** The persistence a group was created with ({@code STATE/GROUP/persistence}); NONE when none was kept. */
    rsc.model.Persistence persistence(String group) {
        try {
            return rsc.model.Persistence.of(Files.readString(root.resolve(group).resolve("persistence")).strip())
                    .orElse(rsc.model.Persistence.NONE);
        } catch (IOException e) {
            return rsc.model.Persistence.NONE;
        }
    }

    /** Keeps a new group's persistence, for the replicas started later and for {@code start NODE}. */
    void keepPersistence(String group, rsc.model.Persistence p) throws IOException {
        Files.createDirectories(root.resolve(group));
        Files.writeString(root.resolve(group).resolve("persistence"), p.word() + "\n");
    }

    Optional<NodeRecord> find(String group, String name) {
        return NodeRecord.load(nodeDir(group, name));
    }

    void delete(NodeRecord r) {
        deleteTree(r.dir());
    }

    void deleteGroup(String group) {
        deleteTree(root.resolve(group));
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

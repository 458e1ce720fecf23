package rsc.backend.local;

import rsc.model.Endpoint;
import rsc.model.Node;
import rsc.model.NodeKind;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/** What the local backend keeps on disk for one node: {@code node.properties} beside its config, pid, log and data. */
record NodeRecord(String group, String name, NodeKind kind, int index, int port, Path dir) {

    static final String FILE = "node.properties";

    Path configFile() {
        return dir.resolve(kind == NodeKind.SENTINEL ? "sentinel.conf" : "redis.conf");
    }

    /**
     * Present from before the record is written until its redis-server answers: a record that still has it and no
     * process is a start that rsc never finished (killed mid-command), not a node that ran and stopped.
     */
    Path launchingMark() {
        return dir.resolve("launching");
    }

    boolean launching() {
        return Files.exists(launchingMark());
    }

    Path pidFile() {
        return dir.resolve("redis.pid");
    }

    Path logFile() {
        return dir.resolve("redis.log");
    }

    Optional<Long> pid() {
        try {
            return Optional.of(Long.parseLong(Files.readString(pidFile()).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    Optional<String> lastLogLine() {
        try {
            List<String> lines = Files.readAllLines(logFile());
            return lines.stream().filter(l -> !l.isBlank()).reduce((a, b) -> b).map(String::strip);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    Node toNode() {
        Endpoint e = new Endpoint("127.0.0.1", port);
        String detail = pid().map(p -> "pid " + p).orElse("no pid");
        return new Node(name, group, kind, index, e, e, LocalBackend.stateOf(this), detail);
    }

    void save() {
        Properties p = new Properties();
        p.setProperty("group", group);
        p.setProperty("name", name);
        p.setProperty("kind", kind.name());
        p.setProperty("index", Integer.toString(index));
        p.setProperty("port", Integer.toString(port));
        try (Writer w = Files.newBufferedWriter(dir.resolve(FILE), StandardCharsets.UTF_8)) {
            p.store(w, "rsc local node");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Optional<NodeRecord> load(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
            return Optional.of(new NodeRecord(p.getProperty("group"), p.getProperty("name"),
                    NodeKind.valueOf(p.getProperty("kind")), Integer.parseInt(p.getProperty("index")),
                    Integer.parseInt(p.getProperty("port")), dir));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}

package rsc.console;

import org.jline.reader.LineReader;
import org.jline.terminal.Terminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rsc.catalog.Catalog;
import rsc.model.Topology;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FilteringHistoryUnitTests {

    @Test
    void linesWithSecretsNeverReachTheHistoryFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("nested").resolve("history");
        String typed = String.join("\n",
                "status",
                "redis AUTH secret1",
                "create-master orders --password secret2",
                "redis CONFIG SET requirepass secret3",
                "redis CONFIG SET \"requirepass\" secret4",
                "redis \"AUTH\" \"pass secret5\"",
                "use orders",
                "") ;
        try (Terminal t = DumbTerminals.over(typed, new ByteArrayOutputStream())) {
            LineReader reader = ConsoleReader.build(t, Catalog.table(), () -> Topology.empty("local"), file);
            for (int i = 0; i < 7; i++) {
                reader.readLine("> ");
            }
            reader.getHistory().save();
            assertEquals(2, reader.getHistory().size(), "secrets are not kept in memory either");
        }
        String saved = Files.readString(file, StandardCharsets.UTF_8);
        assertTrue(saved.contains("status") && saved.contains("use orders"), saved);
        assertFalse(saved.contains("secret"), saved);
        assertFalse(saved.toLowerCase().contains("requirepass"), saved);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), "only its user reads it");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
    }

    @Test
    void anExistingHistoryFileIsMadePrivate(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("history");
        Files.writeString(file, "status\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        try (Terminal t = DumbTerminals.over("use g\n", new ByteArrayOutputStream())) {
            LineReader reader = ConsoleReader.build(t, Catalog.table(), () -> Topology.empty("local"), file);
            reader.readLine("> ");
            reader.getHistory().save();
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    /** A file written before rsc filtered, or edited by hand: its secrets are not read back (up-arrow, suggestions). */
    @Test
    void aSecretAlreadyInTheFileIsNotReadBack(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("history");
        Files.writeString(file, "1700000000000:status\n1700000000001:redis AUTH oldsecret\n");
        try (Terminal t = DumbTerminals.over("use g\n", new ByteArrayOutputStream())) {
            LineReader reader = ConsoleReader.build(t, Catalog.table(), () -> Topology.empty("local"), file);
            reader.readLine("> ");   // JLine reads the file when the first line is read
            assertEquals(List.of("status", "use g"), lines(reader));
        }
    }

    /** JLine trims a long file by reading it back into memory itself: the secret must not come back that way. */
    @Test
    void aSecretDoesNotComeBackWhenJLineTrimsTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("history");
        StringBuilder old = new StringBuilder();
        for (int i = 0; i < 6300; i++) {
            old.append(1700000000000L + i).append(":use g").append(i).append('\n');
        }
        old.append("1700000009999:redis AUTH oldsecret\n");
        Files.writeString(file, old);
        try (Terminal t = DumbTerminals.over("status\n", new ByteArrayOutputStream())) {
            LineReader reader = ConsoleReader.build(t, Catalog.table(), () -> Topology.empty("local"), file);
            reader.readLine("> ");
            reader.getHistory().save();
            assertTrue(Files.readAllLines(file).size() < 6300, "JLine trimmed the file");
            assertEquals("status", lines(reader).get(lines(reader).size() - 1));
            assertFalse(lines(reader).stream().anyMatch(l -> l.contains("oldsecret")), "not back in memory");
        }
    }

    private static List<String> lines(LineReader reader) {
        List<String> lines = new ArrayList<>();
        reader.getHistory().forEach(e -> lines.add(e.line()));
        return lines;
    }

    @Test
    void historyLivesInHomeUnlessRscHistorySaysOtherwise() {
        assertEquals(Path.of("/home/op", ".rsc", "history"), FilteringHistory.location(Map.of("HOME", "/home/op")));
        assertEquals(Path.of("/tmp/x", ".rsc", "history"), FilteringHistory.location(Map.of("HOME", "/tmp/x", "USER", "root")),
                "$HOME, not Java's user.home");
        assertEquals(Path.of("/tmp/h"), FilteringHistory.location(Map.of("RSC_HISTORY", "/tmp/h", "HOME", "/home/op")));
    }
}

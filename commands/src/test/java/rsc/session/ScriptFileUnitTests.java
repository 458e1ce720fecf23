package rsc.session;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rsc.error.UsageException;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading a script: bounded, strict about text, and every failure one line naming the file. */
class ScriptFileUnitTests {

    @Test
    void anEndlessFileIsRefusedAtItsFirstOverlongLineNotByRunningOutOfMemory() {
        UsageException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(UsageException.class, () -> ScriptFile.lines(Path.of("/dev/zero"))));
        assertTrue(e.getMessage().startsWith("/dev/zero:1: "), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 'a';
            }
        };
        e = assertThrows(UsageException.class, () -> ScriptFile.lines(endless, "-"));
        assertTrue(e.getMessage().contains("longer than"), e.getMessage());
    }

    @Test
    void aBinaryFileIsNamedAsSuch(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bin.rsc");
        Files.write(f, new byte[]{'s', 't', 'a', 't', 'u', 's', '\n', (byte) 0xff, (byte) 0xfe, 0x01, '\n'});
        UsageException e = assertThrows(UsageException.class, () -> ScriptFile.lines(f));
        assertEquals(f + ":2: not a text file (not UTF-8): is it a script?", e.getMessage());
        Files.write(f, new byte[]{'s', 0, 't', '\n'});
        e = assertThrows(UsageException.class, () -> ScriptFile.lines(f));
        assertEquals(f + ":1: not a text file (a NUL byte): is it a script?", e.getMessage());
    }

    @Test
    void missingUnreadableAndDirectoryAreOneLineEach(@TempDir Path dir) {
        assertEquals("script file not found: " + dir.resolve("nope"),
                assertThrows(UsageException.class, () -> ScriptFile.lines(dir.resolve("nope"))).getMessage());
        assertEquals("cannot read script " + dir + ": it is a directory",
                assertThrows(UsageException.class, () -> ScriptFile.lines(dir)).getMessage());
    }

    @Test
    void textIsReadAsLines() throws Exception {
        assertEquals(List.of("status", "", "# c", "sentinel status ü"), ScriptFile.lines(
                new ByteArrayInputStream("status\r\n\n# c\nsentinel status ü".getBytes(StandardCharsets.UTF_8)), "-"));
    }
}

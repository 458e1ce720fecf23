package rsc.backend.local;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConfigWriterUnitTests {

    @Test
    void aNewlineInAValueCannotAddADirective() {
        String text = new ConfigWriter().line("masterauth", "pw\nsentinel notification-script /tmp/x").text();
        List<String> lines = text.lines().filter(l -> !l.startsWith("#")).toList();
        assertEquals(1, lines.size(), text);
        assertEquals("masterauth \"pw\\nsentinel notification-script /tmp/x\"", lines.get(0));
    }

    @Test
    void quotesAndBackslashesAreEscaped() {
        assertEquals("\"a\\\"b\\\\c\"", ConfigWriter.quote("a\"b\\c"));
        assertEquals("\"\"", ConfigWriter.quote(""));
    }

    @Test
    void onlyKnownDirectiveShapesAreWritten() {
        assertThrows(IllegalArgumentException.class, () -> new ConfigWriter().line("port 1\nbind", 2));
    }
}

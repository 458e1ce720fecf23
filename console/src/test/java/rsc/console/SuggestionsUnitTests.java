package rsc.console;

import org.jline.reader.LineReader;
import org.jline.reader.Reference;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.terminal.Terminal;
import org.junit.jupiter.api.Test;
import rsc.catalog.Catalog;
import rsc.model.Topology;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12 item 11: history autosuggestions (fish, iredis) beside the usage tail tip, on a real reader. Each
 * {@code SHOW} in the typed keys records the line as JLine draws it at that moment: prompt, what is typed, then the
 * greyed suggestion.
 */
class SuggestionsUnitTests {

    /** Ctrl-X Ctrl-S: a key no rsc binding uses, bound here to record the line as drawn. */
    private static final String SHOW = "\u0018\u0013";
    private static final String RIGHT = "\033[C";
    private static final String ALT_F = "\033f";

    private final List<String> shown = new ArrayList<>();
    private final List<String> shownAnsi = new ArrayList<>();
    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();

    @Test
    void aPreviousLineIsSuggestedGreyedAndRightArrowTakesIt() throws Exception {
        List<String> read = readLines("scale slaves 3\r" + "sc" + SHOW + ALT_F + SHOW + RIGHT + SHOW + "\r");
        assertEquals(List.of("> scale slaves 3", "> scale slaves 3", "> scale slaves 3"), shown);
        assertTrue(shownAnsi.get(0).contains("sc\033[2male slaves 3"), "the suggestion is faint: " + shownAnsi.get(0));
        assertTrue(shownAnsi.get(1).contains("scale\033[2m slaves 3"), "Alt-F took one word: " + shownAnsi.get(1));
        assertFalse(shownAnsi.get(2).contains("\033[2m"), "Right arrow took the rest: " + shownAnsi.get(2));
        assertEquals(List.of("scale slaves 3", "scale slaves 3"), read);
    }

    @Test
    void withoutAMatchingLineTheUsageShowsAndRightArrowDoesNotTakeIt() throws Exception {
        List<String> read = readLines("scale slaves 3\r"
                + "scale s" + SHOW + "e" + SHOW + "ntinels " + SHOW + RIGHT + "\r");
        assertEquals("> scale slaves 3", shown.get(0), "history while it matches");
        assertEquals("> scale se", shown.get(1).stripTrailing(), "nothing of the history suggestion is left");
        assertTrue(shown.get(2).startsWith("> scale sentinels N [--group=G]"), "the usage: " + shown.get(2));
        assertEquals("scale sentinels ", read.get(1), "Right arrow does not type the usage");
    }

    @Test
    void aLineTheHistoryRefusedIsNeverSuggested() throws Exception {
        List<String> read = readLines("redis GET k\r" + "redis AUTH hunter2\r" + "redis " + SHOW + RIGHT + "\r");
        assertEquals("> redis GET k", shown.get(0), "the older line, not the refused newer one");
        assertEquals("redis GET k", read.get(2));
        String afterRefused = screen.toString(StandardCharsets.UTF_8);
        afterRefused = afterRefused.substring(afterRefused.lastIndexOf("hunter2") + "hunter2".length());
        assertFalse(afterRefused.contains("AUTH"), "never drawn again: " + afterRefused);
    }

    /** Reads every line {@code keys} types on the console's reader over an xterm-like terminal. */
    private List<String> readLines(String keys) throws Exception {
        List<String> read = new ArrayList<>();
        try (Terminal terminal = DumbTerminals.over(keys, screen)) {
            LineReader reader = ConsoleReader.build(terminal, Catalog.table(), () -> Topology.empty("local"), null);
            reader.getWidgets().put("test-show", () -> {
                var drawn = ((LineReaderImpl) reader).getDisplayedBufferWithPrompts(new ArrayList<>());
                shown.add(drawn.toString());
                shownAnsi.add(drawn.toAnsi());
                return true;
            });
            reader.getKeyMaps().get(LineReader.MAIN).bind(new Reference("test-show"), SHOW);
            while (true) {
                try {
                    read.add(reader.readLine("> "));
                } catch (org.jline.reader.EndOfFileException end) {
                    return read;
                }
            }
        }
    }
}

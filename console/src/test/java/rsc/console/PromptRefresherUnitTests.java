package rsc.console;

import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static rsc.testing.Sleep.sleep;

/** Issue 12 item 7: a prompt that shrinks while the operator idles is redrawn clean, not over the old one. */
class PromptRefresherUnitTests {

    @Test
    void aShorterPromptLeavesNothingOfTheLongerOneOnTheLine() throws Exception {
        PipedOutputStream keys = new PipedOutputStream();
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        try (Terminal terminal = TerminalBuilder.builder().system(false).streams(new PipedInputStream(keys), screen)
                .type("xterm").size(new Size(100, 24)).build()) {
            LineReader reader = LineReaderBuilder.builder().terminal(terminal).build();
            AtomicReference<String> prompt = new AtomicReference<>("rsc local t3 127.0.0.1:31520> ");
            try (PromptRefresher refresher = new PromptRefresher(reader, prompt::get, Duration.ofMillis(50))) {
                Thread read = new Thread(() -> {
                    try {
                        reader.readLine(refresher.enter());
                    } catch (RuntimeException e) {
                        // the terminal closed at the end of the test
                    }
                });
                read.setDaemon(true);
                read.start();
                for (int i = 0; i < 50 && !reader.isReading(); i++) {
                    sleep(20);
                }
                sleep(200);
                prompt.set("rsc local t3 down> ");
                sleep(400);
                assertEquals("rsc local t3 down> ", lastLine(screen.toString(StandardCharsets.UTF_8)));
                keys.close();
            }
        }
    }

    /** The last line as an xterm shows it: carriage returns, erase and delete, cursor moves applied. */
    private static String lastLine(String out) {
        StringBuilder line = new StringBuilder();
        int col = 0;
        for (int i = 0; i < out.length(); i++) {
            char c = out.charAt(i);
            if (c == '\r') {
                col = 0;
            } else if (c == '\n') {
                line.setLength(0);
                col = 0;
            } else if (c == 27 && i + 1 < out.length() && out.charAt(i + 1) == '[') {
                int j = i + 2;
                while (j < out.length() && !Character.isLetter(out.charAt(j))) {
                    j++;
                }
                String arg = out.substring(i + 2, j);
                int n = arg.isEmpty() || !arg.chars().allMatch(Character::isDigit) ? 1 : Integer.parseInt(arg);
                switch (out.charAt(j)) {
                    case 'K' -> line.setLength(Math.min(line.length(), col));
                    case 'C' -> col += n;
                    case 'D' -> col = Math.max(0, col - n);
                    case 'G' -> col = n - 1;
                    case 'P' -> line.delete(Math.min(col, line.length()), Math.min(col + n, line.length()));
                    case '@' -> line.insert(Math.min(col, line.length()), " ".repeat(n));
                    default -> { }
                }
                i = j;
            } else if (c == 27) {
                i++;    // a two-character escape
            } else if (c >= ' ') {
                while (line.length() < col) {
                    line.append(' ');
                }
                if (col < line.length()) {
                    line.setCharAt(col, c);
                } else {
                    line.append(c);
                }
                col++;
            }
        }
        return line.toString();
    }
}

package rsc.console;

import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Dumb JLine terminals over piped streams, so reader tests need no tty. */
final class DumbTerminals {

    private DumbTerminals() {
    }

    /**
     * A terminal typed {@code ansi} (a {@code dumb} one makes JLine insert TAB instead of completing) that reads
     * {@code input} and writes to {@code output}.
     */
    static Terminal over(String input, OutputStream output) throws IOException {
        return new DumbTerminal("test", "ansi",
                new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), output, StandardCharsets.UTF_8);
    }

    static Terminal empty() throws IOException {
        return over("", new ByteArrayOutputStream());
    }
}

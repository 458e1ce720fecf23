package rsc.console;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * Lettuce and Netty log through java.util.logging here (Netty refuses SLF4J's no-op binding), and a closing
 * connection's warning must not land in the operator's terminal: the console reports what matters itself.
 * With {@code RSC_DEBUG=1} library logging stays on.
 *
 * <p>Start-up: initialising java.util.logging costs ~70 ms (the JDK's logging.properties, handlers), so it is not done
 * here. {@link #quiet} only names {@link Off} as the logging configuration; the JDK applies it when something first
 * logs (Lettuce or Netty, once a Redis client is built), and a command that builds none never pays for it.
 */
final class LibraryLogging {

    private LibraryLogging() {
    }

    static void quiet(boolean debug) {
        if (debug || System.getProperty("java.util.logging.config.class") != null
                || System.getProperty("java.util.logging.config.file") != null) {
            return;   // debugging, or the operator configured logging on purpose
        }
        System.setProperty("java.util.logging.config.class", Off.class.getName());
    }

    /** The configuration java.util.logging reads at its first use: no handlers, everything off. */
    public static final class Off {
        public Off() throws IOException {
            LogManager.getLogManager().readConfiguration(
                    new ByteArrayInputStream("handlers=\n.level=OFF\n".getBytes(StandardCharsets.ISO_8859_1)));
            Logger.getLogger("").setLevel(Level.OFF);
        }
    }
}

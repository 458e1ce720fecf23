package rsc.console;

import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * Lettuce and Netty log through java.util.logging here (Netty refuses SLF4J's no-op binding), and a closing
 * connection's warning must not land in the operator's terminal: the console reports what matters itself.
 * With {@code RSC_DEBUG=1} library logging stays on.
 */
final class LibraryLogging {

    private LibraryLogging() {
    }

    static void quiet(boolean debug) {
        if (debug) {
            return;
        }
        LogManager.getLogManager().reset();
        Logger.getLogger("").setLevel(Level.OFF);
    }
}

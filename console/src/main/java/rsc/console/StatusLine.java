package rsc.console;

import org.jline.terminal.Terminal;
import org.jline.utils.InfoCmp.Capability;
import rsc.backend.Progress;

/**
 * Progress on a terminal while a command runs: one line redrawn in place, cleared before any other output.
 * Only used while the reader is not reading, so it never fights the prompt.
 */
public final class StatusLine implements Progress {

    private final Terminal terminal;
    private boolean shown;

    public StatusLine(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public synchronized void update(String line) {
        if (line == null || line.isBlank()) {
            clear();
            return;
        }
        String oneLine = line.replace('\n', ' ').replace('\r', ' ');
        int width = terminal.getWidth();
        if (width > 1 && oneLine.length() >= width) {
            oneLine = oneLine.substring(0, width - 2) + "…";
        }
        terminal.writer().print('\r');
        terminal.writer().print(oneLine);
        terminal.puts(Capability.clr_eol);
        terminal.flush();
        shown = true;
    }

    /** Removes the status line, if one is shown. */
    public synchronized void clear() {
        if (!shown) {
            return;
        }
        terminal.writer().print('\r');
        terminal.puts(Capability.clr_eol);
        terminal.flush();
        shown = false;
    }
}

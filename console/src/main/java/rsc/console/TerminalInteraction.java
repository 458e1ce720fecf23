package rsc.console;

import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import rsc.backend.Progress;
import rsc.result.CommandResult;
import rsc.result.Message;
import rsc.session.Interaction;

import java.util.Locale;

/**
 * The {@link Interaction} of the REPL. Everything goes through {@link LineReader#printAbove}, so a line printed
 * from a background thread (an event, a notice) lands above the prompt instead of through the middle of it.
 */
public final class TerminalInteraction implements Interaction {

    private final Terminal terminal;
    private final TextRenderer text = new TextRenderer();
    private JsonRenderer json; // built on first JSON output: Jackson costs ~100 ms of start-up
    private final StatusLine status;
    private volatile LineReader reader;

    public TerminalInteraction(Terminal terminal) {
        this.terminal = terminal;
        this.status = new StatusLine(terminal);
    }

    /** Connects the reader once it is built (the reader's completer needs the engine, the engine needs this). */
    public void attach(LineReader lineReader) {
        this.reader = lineReader;
    }

    @Override
    public boolean interactive() {
        return true;
    }

    /** Reads y/N through the same reader, with history and completion off for the answer. */
    @Override
    public boolean confirm(String question) {
        LineReader r = reader;
        if (r == null) {
            return false;
        }
        status.clear();
        r.setVariable(LineReader.DISABLE_HISTORY, true);
        r.setVariable(LineReader.DISABLE_COMPLETION, true);
        try {
            String answer = r.readLine(question + " [y/N] ").strip().toLowerCase(Locale.ROOT);
            return answer.equals("y") || answer.equals("yes");
        } catch (UserInterruptException | EndOfFileException e) {
            return false;
        } finally {
            r.setVariable(LineReader.DISABLE_HISTORY, false);
            r.setVariable(LineReader.DISABLE_COMPLETION, false);
        }
    }

    @Override
    public Progress progress() {
        return status;
    }

    /** Clears the progress line; the REPL calls it when a command ends. */
    public void endProgress() {
        status.clear();
    }

    @Override
    public void show(String commandLine, CommandResult result, boolean asJson) {
        if (asJson) {
            printAbove(new AttributedString(json().render(commandLine, result)));
        } else if (!result.blocks().isEmpty()) {
            printAbove(text.render(result));
        }
    }

    @Override
    public void notice(Message message) {
        printAbove(text.message(message));
    }

    @Override
    public void error(String line) {
        printAbove(text.error(line));
    }

    /** Prints above the prompt when one is shown (safe from any thread), else as a plain line. */
    public void printAbove(AttributedString line) {
        status.clear();
        LineReader r = reader;
        if (r != null) {
            r.printAbove(line);
        } else {
            terminal.writer().println(line.toAnsi(terminal));
            terminal.flush();
        }
    }

    private synchronized JsonRenderer json() {
        if (json == null) {
            json = new JsonRenderer(true);
        }
        return json;
    }
}

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

import org.jline.builtins.Less;
import org.jline.builtins.Source;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
        AttributedString shown = rendered(commandLine, result, asJson);
        if (shown != null) {
            printAbove(shown);
        }
    }

    /**
     * A command's result once it has finished (the REPL calls it, never a background thread): longer than the screen,
     * it goes through JLine's {@code less} (quits at once when it fits, leaves the text on the screen after 'q'),
     * as git pages its output; otherwise as {@link #show}.
     */
    public void showFinished(String commandLine, CommandResult result, boolean asJson) {
        AttributedString shown = rendered(commandLine, result, asJson);
        if (shown == null) {
            return;
        }
        int height = terminal.getHeight();
        long lines = shown.toString().lines().count();
        if (height < 5 || lines < height - 1 || Terminal.TYPE_DUMB.equals(terminal.getType())
                || Terminal.TYPE_DUMB_COLOR.equals(terminal.getType())) {
            printAbove(shown);
            return;
        }
        status.clear();
        try {
            Less less = new Less(terminal, Path.of("."));
            less.quitIfOneScreen = true;
            less.noInit = true;
            less.run(new Source.InputStreamSource(new ByteArrayInputStream(
                    shown.toAnsi(terminal).getBytes(StandardCharsets.UTF_8)), true, commandLine));
        } catch (IOException | RuntimeException e) {
            printAbove(shown);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private AttributedString rendered(String commandLine, CommandResult result, boolean asJson) {
        if (asJson) {
            return new AttributedString(json().render(commandLine, result));
        }
        // tables fit the terminal's width as it is now (it may have been resized since the last command)
        return result.blocks().isEmpty() ? null : text.render(result, Math.max(20, terminal.getWidth()));
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

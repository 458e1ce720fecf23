package rsc.console;

import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import rsc.error.RscException;
import rsc.session.Engine;
import rsc.session.ErrorTranslator;
import rsc.session.Outcome;
import rsc.session.Session;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The interactive loop. Each command runs on its own worker thread so Ctrl-C can interrupt it (the engine then
 * answers "cancelled") while the prompt thread waits; a second Ctrl-C stops waiting for a command that does not
 * stop. Ctrl-C at the prompt clears the line; Ctrl-D, {@code exit} or {@code quit} leave.
 */
public final class Repl {

    private final Engine engine;
    private final Terminal terminal;
    private final LineReader reader;
    private final TerminalInteraction ui;

    public Repl(Engine engine, Terminal terminal, LineReader reader, TerminalInteraction ui) {
        this.engine = engine;
        this.terminal = terminal;
        this.reader = reader;
        this.ui = ui;
    }

    /** Reads and runs lines until the operator leaves; returns the exit status (0). */
    public int run() {
        Session session = engine.session();
        session.topology().startBackground(Duration.ofSeconds(2));
        LiveEvents live = new LiveEvents(session.events().timeline(), ui, session.console()::eventLevel, () -> session.topology().snapshot().names());
        session.console().liveEvents(true);
        try (PromptRefresher prompt = new PromptRefresher(reader, this::promptText, Duration.ofSeconds(1))) {
            while (!session.console().exitRequested()) {
                String line;
                try {
                    line = reader.readLine(prompt.enter());
                } catch (UserInterruptException e) {
                    continue;
                } catch (EndOfFileException e) {
                    break;
                } finally {
                    prompt.leave();
                }
                if (line.isBlank()) {
                    continue;
                }
                report(execute(line));
            }
        } finally {
            live.close();
            saveHistory();
        }
        return 0;
    }

    private String promptText() {
        Session s = engine.session();
        String group = s.console().promptGroup().orElse(null);
        return Prompt.of(s.settings().backend(), s.backendOpen(), s.topology().snapshot(), group,
                group == null ? java.util.Optional.empty() : s.passthroughMarker(group)).ansi();
    }

    /** Runs one line on a worker thread, with Ctrl-C wired to interrupt it. */
    Outcome execute(String line) {
        CompletableFuture<Outcome> done = new CompletableFuture<>();
        Thread worker = new Thread(() -> {
            try {
                done.complete(engine.execute(line));
            } catch (Throwable t) {
                done.complete(new Outcome(line, null, null, ErrorTranslator.translate(t)));
            }
        }, "rsc-command");
        worker.setDaemon(true);
        AtomicInteger presses = new AtomicInteger();
        Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, signal -> {
            if (presses.incrementAndGet() == 1) {
                worker.interrupt();
            } else {
                done.complete(new Outcome(line, null, null, new RscException(
                        "cancelled (the command had not stopped yet; it may still finish in the background)")));
            }
        });
        worker.start();
        try {
            return done.join();
        } finally {
            terminal.handle(Terminal.Signal.INT, previous);
            ui.endProgress();
        }
    }

    private void report(Outcome outcome) {
        if (outcome.result() != null) {
            ui.showFinished(outcome.line(), outcome.result(), engine.json(outcome));
        }
        if (outcome.error() != null && !(outcome.error() instanceof rsc.error.ReportedException)) {
            ui.error(outcome.error().getMessage());     // a sourced script already said where it stopped
        }
    }

    private void saveHistory() {
        try {
            reader.getHistory().save();
        } catch (IOException | RuntimeException e) {
            // history is a convenience; losing it must not fail the exit
        }
    }
}

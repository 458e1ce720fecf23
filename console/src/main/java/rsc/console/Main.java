package rsc.console;

import org.jline.reader.LineReader;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import rsc.backend.BackendFactory;
import rsc.backend.Backends;
import rsc.backend.EarlyBackend;
import rsc.ops.GroupHealth;
import rsc.command.CommandTable;
import rsc.error.RscException;
import rsc.command.Tokenizer;
import rsc.catalog.Catalog;
import rsc.session.Engine;
import rsc.session.Session;
import rsc.session.ErrorTranslator;
import rsc.session.ScriptFile;
import rsc.session.ScriptRunner;
import rsc.backend.Settings;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Entry point: the REPL on a terminal, else a script ({@code FILE}, {@code -c}, or stdin). Prints one line per
 * failure and never a stack trace (unless {@code RSC_DEBUG=1}); the exit status is the first failure's.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        PlatformSelector.nameDefault();
        LibraryLogging.quiet(debug());   // before the early backend's thread: nothing may log before it
        EarlyBackend early = earlyBackend(args);
        int status = run(args, System.in, System.out, System.err, System.console() != null,
                early != null ? early : Backends.factory(), Catalog::table, Optional.empty(), early);
        System.out.flush();
        System.exit(status);
    }

    /**
     * A one-shot ({@code -c}) in a JVM of its own opens its backend from the first moment, on a thread of its own
     * ({@link EarlyBackend}), before anything else (the command table, the JVM's lambda set-up, about 25 ms of main
     * before it started here); null for anything else, and for arguments {@link #run} will report as wrong.
     */
    private static EarlyBackend earlyBackend(String[] args) {
        try {
            Arguments a = Arguments.parse(List.of(args));
            if (a.commands() == null || a.help() || a.version()) {
                return null;
            }
            return EarlyBackend.start(a.applyTo(Settings.fromEnvironment()), Backends.factory());
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Runs without a terminal (scripts, -c, stdin) and returns the exit status instead of exiting. */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        return run(args, in, out, err, false, Backends.factory(), Catalog::table, Optional.empty(), null);
    }

    /**
     * What a resident console keeps for all its one-shots: the backends it opens (through the engine watch it keeps
     * warm), its command table (made once: it is immutable), and the threads it lends their sessions.
     */
    public record Kept(BackendFactory backends, CommandTable<Session> table, Executor threads) {
    }

    /** As {@link #run(String[], InputStream, PrintStream, PrintStream)}, with what a resident console keeps. */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Kept kept) {
        return run(args, in, out, err, false, kept.backends(), kept::table, Optional.of(kept.threads()), null);
    }

    /** {@code early}: the backend a one-shot in a JVM of its own started opening, with its settings; else null. */
    private static int run(String[] args, InputStream in, PrintStream out, PrintStream err, boolean terminal,
                           BackendFactory backends, java.util.function.Supplier<CommandTable<Session>> tables,
                           Optional<Executor> threads, EarlyBackend early) {
        LibraryLogging.quiet(debug());
        try {
            Arguments a = Arguments.parse(List.of(args));
            if (a.help()) {
                out.println(Arguments.USAGE);
                return 0;
            }
            if (a.version()) {
                out.println("rsc " + Version.current());
                return 0;
            }
            // the very settings the early backend was started with: it is handed over only for them
            Settings settings = early != null ? early.settings() : a.applyTo(Settings.fromEnvironment());
            CommandTable<Session> table = tables.get();
            if (a.commands() == null && a.file() == null && terminal) {
                return interactive(settings, table, a.json());
            }
            return batch(a, settings, table, backends, threads, in, out, err);
        } catch (RscException e) {
            err.println("error: " + e.getMessage());
            return e.exitStatus();
        } catch (Throwable t) {
            if (debug()) {
                t.printStackTrace(err);
            }
            err.println("error: internal error: " + t.getClass().getSimpleName() + ": " + rsc.error.OneLine.of(t.getMessage())
                    + (debug() ? "" : " (run with RSC_DEBUG=1 for the stack trace)"));
            return 1;
        } finally {
            if (early != null) {
                early.discard();
            }
        }
    }

    private static int batch(Arguments a, Settings settings, CommandTable<Session> table, BackendFactory backends,
                             Optional<Executor> threads, InputStream in, PrintStream out, PrintStream err) throws IOException {
        PlainInteraction ui = new PlainInteraction(out, err);
        try (Engine engine = new Engine(settings, ui, table, backends, GroupHealth::probe, threads)) {
            if (a.json()) {
                engine.session().console().jsonOutput(true);
            }
            // -c runs a few commands and exits: its reads go over plain sockets rather than bringing Lettuce up
            engine.session().console().oneShot(a.commands() != null);
            boolean fromFile = a.file() != null && !a.fileIsStdin();
            ScriptRunner runner = new ScriptRunner(engine, a.keepGoing(), fromFile);
            ScriptRunner.Report report;
            if (a.commands() != null) {
                report = runner.run("-c", Tokenizer.statements(a.commands()));
            } else if (fromFile) {
                report = runner.run(a.file());
            } else {
                report = runner.run("-", lines(in));
            }
            return report.exitStatus();
        } finally {
            ui.finish();
        }
    }

    private static int interactive(Settings settings, CommandTable<Session> table, boolean json) throws IOException {
        try (Terminal terminal = TerminalBuilder.builder().system(true).name("rsc").build()) {
            TerminalInteraction ui = new TerminalInteraction(terminal);
            try (Engine engine = new Engine(settings, ui, table, Backends.factory(), GroupHealth::probe)) {
                if (json) {
                    engine.session().console().jsonOutput(true);
                }
                LineReader reader = ConsoleReader.build(terminal, table, engine.session().topology()::snapshot,
                        FilteringHistory.location(System.getenv()));
                ui.attach(reader);
                return new Repl(engine, terminal, reader, ui).run();
            }
        }
    }

    private static List<String> lines(InputStream in) throws IOException {
        return ScriptFile.lines(in, "-");
    }

    private static boolean debug() {
        String v = System.getenv("RSC_DEBUG");
        return "1".equals(v) || "true".equalsIgnoreCase(v);
    }
}

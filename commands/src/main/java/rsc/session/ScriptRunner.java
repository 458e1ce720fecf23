package rsc.session;

import rsc.command.RscException;
import rsc.result.Message;

import java.nio.file.Path;
import java.util.List;

/**
 * Replays commands: one a line, {@code #} comments, each echoed before it runs. Stops at the first failure
 * (naming file and line) unless told to keep going; the exit status is that of the first failure.
 */
public final class ScriptRunner {

    /** How a script ended. */
    public record Report(int exitStatus, int ran, int failed, String firstFailure) {
        public boolean ok() {
            return exitStatus == 0;
        }
    }

    private final Engine engine;
    private final boolean keepGoing;
    private final boolean echo;

    public ScriptRunner(Engine engine, boolean keepGoing, boolean echo) {
        this.engine = engine;
        this.keepGoing = keepGoing;
        this.echo = echo;
    }

    /** Reads a file and runs it; a missing or unreadable file is a one-line error. */
    public Report run(Path file) {
        return run(file.toString(), ScriptFile.lines(file));
    }

    /** Runs lines named {@code source} in messages. */
    public Report run(String source, List<String> lines) {
        Interaction ui = engine.session().ui();
        int ran = 0;
        int failed = 0;
        int status = 0;
        String first = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            if (echo) {
                ui.notice(Message.info("> " + HistoryFilter.redact(trimmed)));
            }
            Outcome outcome = engine.execute(line);
            ran++;
            if (outcome.result() != null) {
                ui.show(line, outcome.result(), engine.json(outcome));
            }
            if (engine.session().exitRequested()) {
                break;
            }
            if (!outcome.ok()) {
                failed++;
                String why = outcome.error() != null ? outcome.error().getMessage() : failureText(outcome);
                String where = source + ":" + (i + 1) + ": ";
                ui.error(where + why);
                if (status == 0) {
                    status = outcome.exitStatus();
                    first = where + why;
                }
                if (!keepGoing || outcome.exitStatus() == 130) {
                    break;
                }
            }
        }
        return new Report(status, ran, failed, first);
    }

    /** The first error line of a result that ran to the end but failed. */
    private static String failureText(Outcome outcome) {
        return outcome.result().blocks().stream()
                .filter(b -> b instanceof Message m && m.severity() == rsc.result.Severity.ERROR)
                .map(b -> ((Message) b).text()).findFirst().orElse("the command reported a failure");
    }

    /** Runs a script from inside a session ({@code source FILE}); fails with the script's first failure. */
    public static void source(Engine engine, Path file) {
        Report r = new ScriptRunner(engine, false, true).run(file);
        if (!r.ok()) {
            throw new RscException("script stopped: " + r.firstFailure());
        }
    }
}

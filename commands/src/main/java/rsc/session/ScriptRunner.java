package rsc.session;

import rsc.error.ReportedException;
import rsc.error.UsageException;
import rsc.error.RscException;
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
            boolean json = engine.json(outcome);
            if (outcome.result() != null) {
                // a failed result's failure line goes to the error stream with FILE:LINE below, not in the text as well;
                // a JSON document stays whole
                ui.show(line, outcome.ok() || json ? outcome.result() : withoutFailure(outcome.result()), json);
            } else if (json && outcome.error() != null && !(outcome.error() instanceof ReportedException)) {
                // the invocation's one document says which command failed, and why
                ui.show(line, rsc.result.CommandResult.builder().error(outcome.error().getMessage()).build(), true);
            }
            if (engine.session().console().exitRequested()) {
                break;
            }
            if (!outcome.ok()) {
                failed++;
                if (outcome.error() instanceof ReportedException reported) {
                    // a sourced script said where it stopped; its line is the first failure
                    if (status == 0) {
                        status = outcome.exitStatus();
                        first = reported.getMessage();
                    }
                    if (!keepGoing || outcome.exitStatus() == 130) {
                        break;
                    }
                    continue;
                }
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

    /** A failed result without the line that says it failed (shown once, as the error). */
    private static rsc.result.CommandResult withoutFailure(rsc.result.CommandResult result) {
        String failure = result.blocks().stream()
                .filter(b -> b instanceof Message m && m.severity() == rsc.result.Severity.ERROR)
                .map(b -> ((Message) b).text()).findFirst().orElse(null);
        if (failure == null) {
            return result;
        }
        java.util.List<rsc.result.Block> kept = new java.util.ArrayList<>(result.blocks());
        kept.removeIf(b -> b instanceof Message m && m.severity() == rsc.result.Severity.ERROR && m.text().equals(failure));
        return new rsc.result.CommandResult(kept, true);
    }

    /**
     * Runs a script from inside a session ({@code source FILE}); fails with the script's first failure and its exit
     * status, already printed with its file and line, so nobody prints it again.
     */
    public static void source(Engine engine, Path file) {
        Report r = new ScriptRunner(engine, false, true).run(file);
        if (!r.ok()) {
            throw new ReportedException(r.firstFailure(), r.exitStatus());
        }
    }
}

package rsc.session;

import rsc.command.Invocation;
import rsc.error.RscException;
import rsc.result.CommandResult;

/**
 * How one line ended: a result, or an error, never both. Scripts stop on {@link #exitStatus()} non-zero.
 *
 * @param line       the line as typed
 * @param invocation the parsed line, null when it did not parse or was blank
 * @param result     what the command produced, null on error
 * @param error      the one-line failure, null on success
 */
public record Outcome(String line, Invocation invocation, CommandResult result, RscException error) {

    public static Outcome blank(String line) {
        return new Outcome(line, null, null, null);
    }

    public boolean blank() {
        return invocation == null && result == null && error == null;
    }

    public boolean ok() {
        return error == null && (result == null || !result.failed());
    }

    /** 0 on success, 2 for a usage error, 130 when cancelled, 1 otherwise. */
    public int exitStatus() {
        if (error != null) {
            return error.exitStatus();
        }
        return result != null && result.failed() ? 1 : 0;
    }
}

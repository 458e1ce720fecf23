package rsc.model;

import rsc.result.Severity;

/**
 * One thing {@code doctor} found: how bad, what, and the command that fixes it.
 *
 * @param severity ERROR fails a script; WARN and INFO do not
 * @param check    a short stable name for the check ({@code split-brain}, {@code quorum-minority})
 * @param what     the finding in one sentence
 * @param fix      the rsc command (or action) that fixes it
 */
public record Finding(Severity severity, String check, String what, String fix) {
}

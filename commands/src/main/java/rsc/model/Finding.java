package rsc.model;

import rsc.result.Severity;

/**
 * One thing {@code doctor} found: how bad, what, and how to fix it.
 *
 * @param severity ERROR fails a script; WARN and INFO do not
 * @param check    a short stable name for the check ({@code split-brain}, {@code quorum-minority})
 * @param what     the finding in one sentence
 * @param fix      what to do, in words (may name commands outside rsc, such as {@code docker service update}); empty
 *                 when {@code command} says it all
 * @param command  the rsc command line that fixes it, as the operator would type it at the prompt, or empty; it
 *                 always parses and runs (a test runs every one)
 */
public record Finding(Severity severity, String check, String what, String fix, String command) {

    /** A finding whose fix is advice only: no rsc command fixes it. */
    public Finding(Severity severity, String check, String what, String fix) {
        this(severity, check, what, fix, "");
    }

    /** A finding an rsc command fixes. */
    public static Finding fixedBy(Severity severity, String check, String what, String command) {
        return new Finding(severity, check, what, "", command);
    }
}

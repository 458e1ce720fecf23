package rsc.error;

/**
 * A failure already shown to the operator where it happened (a line of a script run by {@code source}): whoever
 * catches it stops as it would for that failure, with its exit status, but prints nothing more.
 */
public final class ReportedException extends RscException {

    private final int exitStatus;

    public ReportedException(String message, int exitStatus) {
        super(message);
        this.exitStatus = exitStatus;
    }

    @Override
    public int exitStatus() {
        return exitStatus;
    }
}

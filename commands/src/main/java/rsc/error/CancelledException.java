package rsc.error;

/** The operator pressed Ctrl-C while a command ran; the command stopped where it was. */
public class CancelledException extends RscException {

    public CancelledException() {
        super("cancelled");
    }

    /** Cancelled, with what the command had done when it stopped. */
    public CancelledException(String message) {
        super(message);
    }

    @Override
    public int exitStatus() {
        return 130;
    }
}

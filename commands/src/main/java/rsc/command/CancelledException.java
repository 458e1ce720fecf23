package rsc.command;

/** The operator pressed Ctrl-C while a command ran; the command stopped where it was. */
public class CancelledException extends RscException {

    public CancelledException() {
        super("cancelled");
    }

    @Override
    public int exitStatus() {
        return 130;
    }
}

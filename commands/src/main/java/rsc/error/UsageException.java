package rsc.error;

/** The line itself is wrong (unknown command, wrong arity, bad value): exit status 2 in scripts. */
public class UsageException extends RscException {

    public UsageException(String message) {
        super(message);
    }

    @Override
    public int exitStatus() {
        return 2;
    }
}

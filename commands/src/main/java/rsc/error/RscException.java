package rsc.error;

/** The one user-facing failure: its message is a single line the console prints as it is (exit status 1). */
public class RscException extends RuntimeException {

    public RscException(String message) {
        super(message);
    }

    public RscException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The process exit status a script ends with when this is its first failure. */
    public int exitStatus() {
        return 1;
    }
}

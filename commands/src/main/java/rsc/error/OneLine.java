package rsc.error;

/**
 * The first line of a library's message, capped, for rsc's one-line errors: Lettuce's and the JDK's messages may run
 * over several lines (stack-like detail, server replies) that a console line must not show.
 */
public final class OneLine {

    private static final int MAX = 300;

    private OneLine() {
    }

    /** The first non-blank line, at most {@value #MAX} characters; {@code (no message)} when there is none. */
    public static String of(String message) {
        if (message == null || message.isBlank()) {
            return "(no message)";
        }
        String first = message.strip().lines().findFirst().orElse("");
        return first.length() > MAX ? first.substring(0, MAX - 3) + "..." : first;
    }
}

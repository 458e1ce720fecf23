package rsc.result;

/** One line of prose with a severity. */
public record Message(Severity severity, String text) implements Block {

    public static Message ok(String text) {
        return new Message(Severity.OK, text);
    }

    public static Message info(String text) {
        return new Message(Severity.INFO, text);
    }

    public static Message warn(String text) {
        return new Message(Severity.WARN, text);
    }

    public static Message error(String text) {
        return new Message(Severity.ERROR, text);
    }
}

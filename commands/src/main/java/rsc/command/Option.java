package rsc.command;

/**
 * A {@code --name [VALUE]} option of a command; a flag when {@code type} is null.
 *
 * @param name       the long name, without dashes
 * @param type       the value's type, or null for a flag
 * @param valueLabel the value's name in usage ({@code MS}, {@code N}, ...)
 * @param help       one line for {@code help CMD}
 * @param sensitive  whether its value is a secret (kept out of history, logs and echoes)
 */
public record Option(String name, ValueType type, String valueLabel, String help, boolean sensitive) {

    public static Option value(String name, ValueType type, String valueLabel, String help) {
        return new Option(name, type, valueLabel, help, false);
    }

    public static Option flag(String name, String help) {
        return new Option(name, null, null, help, false);
    }

    public static Option secret(String name, String valueLabel, String help) {
        return new Option(name, ValueType.WORD, valueLabel, help, true);
    }

    public boolean isFlag() {
        return type == null;
    }

    /** The usage fragment: {@code [--port P]} or {@code [--force]}. */
    public String usage() {
        return isFlag() ? "[--" + name + "]" : "[--" + name + " " + valueLabel + "]";
    }
}

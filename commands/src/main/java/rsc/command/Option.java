package rsc.command;

/**
 * A {@code --name [VALUE]} option of a command; a flag when {@code type} is null.
 *
 * @param name       the long name, without dashes
 * @param type       the value's type, or null for a flag
 * @param valueLabel the value's name in usage ({@code MS}, {@code N}, ...)
 * @param help       one line for {@code help CMD}
 * @param sensitive  whether its value is a secret (kept out of history, logs and echoes)
 * @param choices    fixed words its value takes (see {@link Choices}); empty when none
 */
public record Option(String name, ValueType type, String valueLabel, String help, boolean sensitive,
                     java.util.List<String> choices) {

    public Option {
        choices = java.util.List.copyOf(choices);
    }

    public Option(String name, ValueType type, String valueLabel, String help, boolean sensitive) {
        this(name, type, valueLabel, help, sensitive, java.util.List.of());
    }

    /** A {@code --name WORD} option that takes only these words; its usage shows them. */
    public static Option oneOf(String name, String help, String... words) {
        return new Option(name, ValueType.WORD, String.join("|", words), help, false, java.util.List.of(words));
    }

    /** The typed value of what was typed, checked against the choices. */
    public Object parse(String raw) {
        return Choices.parse(type, choices, raw, "--" + name);
    }

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

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
 * @param defaultValue what applies when it is not given, as typed ({@code 30s}); null when none: declared here once,
 *                   so {@code help}, completion's description and the handler ({@link Invocation#valueOrDefault}) agree
 */
public record Option(String name, ValueType type, String valueLabel, String help, boolean sensitive,
                     java.util.List<String> choices, String defaultValue) {

    public Option {
        choices = java.util.List.copyOf(choices);
        if (defaultValue != null && type == null) {
            throw new IllegalArgumentException("--" + name + " is a flag: it has no default value");
        }
    }

    public Option(String name, ValueType type, String valueLabel, String help, boolean sensitive,
                  java.util.List<String> choices) {
        this(name, type, valueLabel, help, sensitive, choices, null);
    }

    public Option(String name, ValueType type, String valueLabel, String help, boolean sensitive) {
        this(name, type, valueLabel, help, sensitive, java.util.List.of());
    }

    /** The same option with the value that applies when it is not given (checked as a typed value would be). */
    public Option withDefault(String raw) {
        Option o = new Option(name, type, valueLabel, help, sensitive, choices, raw);
        o.parse(raw);
        return o;
    }

    /** The default's typed value, if one is declared. */
    public java.util.Optional<Object> defaultParsed() {
        return defaultValue == null ? java.util.Optional.empty() : java.util.Optional.of(parse(defaultValue));
    }

    /** Its help line as {@code help} and completion show it: with the declared default. */
    public String describe() {
        return defaultValue == null ? help : help + " (default " + defaultValue + ")";
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

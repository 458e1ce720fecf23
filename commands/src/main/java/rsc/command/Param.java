package rsc.command;

/**
 * A positional argument of a command.
 *
 * @param name     the name shown in usage and used to read the value
 * @param type     how it parses and completes
 * @param required whether it must be given
 * @param rest     whether it takes every remaining word (only the last parameter); option parsing stops there
 * @param help     one line for {@code help CMD}
 */
public record Param(String name, ValueType type, boolean required, boolean rest, String help) {

    public static Param required(String name, ValueType type, String help) {
        return new Param(name, type, true, false, help);
    }

    public static Param optional(String name, ValueType type, String help) {
        return new Param(name, type, false, false, help);
    }

    public static Param rest(String name, ValueType type, boolean required, String help) {
        return new Param(name, type, required, true, help);
    }

    /** The usage fragment: {@code N}, {@code [GROUP]}, {@code ARGS...}. */
    public String usage() {
        String word = name.toUpperCase(java.util.Locale.ROOT) + (rest ? "..." : "");
        return required ? word : "[" + word + "]";
    }
}

package rsc.command;

import java.util.List;

/**
 * A positional argument of a command.
 *
 * @param name     the name shown in usage and used to read the value
 * @param type     how it parses and completes
 * @param required whether it must be given
 * @param rest     whether it takes every remaining word (only the last parameter); option parsing stops there
 * @param help     one line for {@code help CMD}
 * @param choices  fixed words it takes (see {@link Choices}); empty when none
 */
public record Param(String name, ValueType type, boolean required, boolean rest, String help, List<String> choices) {

    public Param {
        choices = List.copyOf(choices);
    }

    public Param(String name, ValueType type, boolean required, boolean rest, String help) {
        this(name, type, required, rest, help, List.of());
    }

    /** The same parameter taking these fixed words (only these, for a {@code WORD}). */
    public Param choices(String... words) {
        return new Param(name, type, required, rest, help, List.of(words));
    }

    /** The typed value of what was typed, checked against the choices. */
    public Object parse(String raw) {
        return Choices.parse(type, choices, raw, name.toUpperCase(java.util.Locale.ROOT));
    }

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
        String word = (choices.isEmpty() || type != ValueType.WORD ? name.toUpperCase(java.util.Locale.ROOT)
                : String.join("|", choices)) + (rest ? "..." : "");
        return required ? word : "[" + word + "]";
    }
}

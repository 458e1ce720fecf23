package rsc.command;

import rsc.error.UsageException;
import java.util.List;

/**
 * Fixed words a value may take ({@code --signal KILL|STOP|TERM}, {@code master|replica}), declared with the parameter
 * or option in the command table, so parsing, help and completion read them from one place. On a {@code WORD} value
 * they are the only words allowed; on any other type they are extra words beside its own values ({@code kill master}
 * or {@code kill NODE}). Matching ignores case and yields the declared spelling.
 */
final class Choices {

    private Choices() {
    }

    static Object parse(ValueType type, List<String> choices, String raw, String label) {
        for (String c : choices) {
            if (c.equalsIgnoreCase(raw)) {
                return c;
            }
        }
        if (!choices.isEmpty() && type == ValueType.WORD) {
            throw new UsageException(label + " must be one of: " + String.join(", ", choices) + " (not '"
                    + rsc.model.Names.printable(raw) + "')");
        }
        return type.parse(raw, label);
    }
}

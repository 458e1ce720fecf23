package rsc.model;

import rsc.error.UsageException;

import java.util.regex.Pattern;

/** The one rule for names rsc writes into configs, service names and file paths. */
public final class Names {

    private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9._-]{1,64}$");

    private Names() {
    }

    public static boolean valid(String name) {
        return name != null && NAME.matcher(name).matches() && !name.startsWith("-") && !name.startsWith(".");
    }

    /** Returns the name, or throws a usage error that says what a name may hold. */
    public static String check(String name, String label) {
        if (!valid(name)) {
            throw new UsageException(label + " '" + printable(name) + "' is not a valid name: use 1 to 64 letters, digits, "
                    + "'.', '_' or '-', not starting with '-' or '.'");
        }
        return name;
    }

    /** The text with control characters escaped and cut to a readable length, safe for a one-line error. */
    public static String printable(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < text.length() && b.length() < 60; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        if (b.length() >= 60 && text.length() > 60) {
            b.append("...");
        }
        return b.toString();
    }
}

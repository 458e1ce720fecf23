package rsc.backend.local;

import java.util.List;

/**
 * Writes Redis/Sentinel config text in which every value is quoted, so no input (a newline in a password, say)
 * can add a directive.
 */
final class ConfigWriter {

    private final StringBuilder text = new StringBuilder("# written by rsc; Redis and Sentinel may rewrite this file\n");

    ConfigWriter line(String directive, Object... values) {
        if (!directive.matches("[a-z][a-z0-9-]*( [a-z][a-z0-9-]*)?")) {
            throw new IllegalArgumentException("not a config directive: " + directive);
        }
        text.append(directive);
        for (Object v : values) {
            text.append(' ').append(quote(String.valueOf(v)));
        }
        text.append('\n');
        return this;
    }

    ConfigWriter lines(List<List<String>> directives) {
        for (List<String> d : directives) {
            line(d.get(0), d.subList(1, d.size()).toArray());
        }
        return this;
    }

    /** A double-quoted Redis config string; Redis's own parser undoes these escapes. */
    static String quote(String value) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        b.append(String.format("\\x%02x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    String text() {
        return text.toString();
    }
}

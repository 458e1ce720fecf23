package rsc.catalog;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * A Redis reply as redis-cli prints it on a terminal, so a value is never ambiguous: bulk strings quoted and escaped
 * ({@code "b c"}, {@code ""}), status replies bare ({@code OK}), {@code (integer) 1}, {@code (nil)},
 * {@code (error) ...}, numbered arrays with nested ones beside their index. Text made for people ({@code INFO},
 * {@code CLIENT LIST}, ...) is printed raw, as redis-cli does.
 */
final class RedisReplyText {

    private static final List<String> RAW = List.of("INFO", "LOLWUT", "CLIENT LIST", "CLIENT INFO", "CLUSTER NODES",
            "CLUSTER INFO", "MEMORY DOCTOR", "MEMORY MALLOC-STATS", "LATENCY DOCTOR", "DEBUG HTSTATS",
            "DEBUG HTSTATS-KEY");

    private RedisReplyText() {
    }

    /** The lines of one reply to the command {@code words}. */
    static List<String> lines(List<String> words, Object reply) {
        if (reply instanceof String s && raw(words)) {
            return s.lines().toList();
        }
        String text = format(reply, "");
        if (text.endsWith("\n")) {
            text = text.substring(0, text.length() - 1);
        }
        return List.of(text.split("\n", -1));
    }

    private static boolean raw(List<String> words) {
        String one = words.get(0).toUpperCase(Locale.ROOT);
        String two = words.size() > 1 ? one + " " + words.get(1).toUpperCase(Locale.ROOT) : one;
        return RAW.contains(one) || RAW.contains(two);
    }

    /** redis-cli's cliFormatReplyTTY: each entry ends with a line break; nested arrays start beside their index. */
    private static String format(Object v, String prefix) {
        if (v == null) {
            return "(nil)\n";
        }
        if (v instanceof Long || v instanceof Integer) {
            return "(integer) " + v + "\n";
        }
        if (v instanceof rsc.redis.RespError e) {
            return "(error) " + e.text() + "\n";
        }
        if (v instanceof rsc.redis.RespStatus st) {
            return st.text() + "\n";
        }
        if (v instanceof List<?> list) {
            if (list.isEmpty()) {
                return "(empty array)\n";
            }
            int width = String.valueOf(list.size()).length();
            String nested = prefix + " ".repeat(width + 2);
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < list.size(); i++) {
                out.append(i == 0 ? "" : prefix).append(String.format(Locale.ROOT, "%" + width + "d) ", i + 1));
                out.append(format(list.get(i), nested));
            }
            return out.toString();
        }
        return quote(String.valueOf(v)) + "\n";
    }

    /** redis's sdscatrepr: the value in double quotes, with escapes for quotes, backslashes and unprintable bytes. */
    static String quote(String value) {
        StringBuilder b = new StringBuilder("\"");
        for (byte raw : value.getBytes(StandardCharsets.UTF_8)) {
            int c = raw & 0xff;
            switch (c) {
                case '\\', '"' -> b.append('\\').append((char) c);
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case 7 -> b.append("\\a");
                case '\b' -> b.append("\\b");
                default -> {
                    if (c >= 0x20 && c < 0x7f) {
                        b.append((char) c);
                    } else {
                        b.append(String.format(Locale.ROOT, "\\x%02x", c));
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}

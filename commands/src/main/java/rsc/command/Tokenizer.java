package rsc.command;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a line into words the way a shell user expects: blanks separate, single quotes keep everything,
 * double quotes keep blanks and honour backslash escapes. Strict mode rejects an unclosed quote; lenient
 * mode (for completion) keeps the open word.
 */
public final class Tokenizer {

    /** A word and where it starts in the line. */
    public record Word(String text, int start, int end, boolean quoted) {
    }

    /** The words of a line; {@code open} is true when the line ends inside a quote. */
    public record Words(List<Word> words, boolean open, boolean endsWithBlank) {
        public List<String> texts() {
            return words.stream().map(Word::text).toList();
        }
    }

    private Tokenizer() {
    }

    public static List<String> split(String line) {
        Words w = scan(line);
        if (w.open()) {
            throw new UsageException("unclosed quote in: " + rsc.model.Names.printable(abbreviate(line)));
        }
        return w.texts();
    }

    private static String abbreviate(String line) {
        return line.length() > 80 ? line.substring(0, 77) + "..." : line;
    }

    public static Words scan(String line) {
        List<Word> words = new ArrayList<>();
        StringBuilder cur = null;
        int start = -1;
        char quote = 0;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    cur.append(c);
                }
                continue;
            }
            if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else if (c == '\\' && i + 1 < line.length() && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) {
                    cur.append(line.charAt(++i));
                } else {
                    cur.append(c);
                }
                continue;
            }
            if (Character.isWhitespace(c)) {
                if (cur != null) {
                    words.add(new Word(cur.toString(), start, i, quoted));
                    cur = null;
                }
                continue;
            }
            if (cur == null) {
                cur = new StringBuilder();
                start = i;
                quoted = false;
            }
            if (c == '\'' || c == '"') {
                quote = c;
                quoted = true;
            } else if (c == '\\' && i + 1 < line.length()) {
                cur.append(line.charAt(++i));
            } else {
                cur.append(c);
            }
        }
        if (cur != null) {
            words.add(new Word(cur.toString(), start, line.length(), quoted));
        }
        boolean endsWithBlank = !line.isEmpty() && Character.isWhitespace(line.charAt(line.length() - 1)) && quote == 0;
        return new Words(List.copyOf(words), quote != 0, endsWithBlank);
    }

    /** Splits {@code "a; b"} into statements at semicolons outside quotes (for {@code rsc -c}). */
    public static List<String> statements(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < line.length()) {
                    cur.append(c);
                    c = line.charAt(++i);
                }
                cur.append(c);
            } else if (c == ';') {
                out.add(cur.toString().trim());
                cur.setLength(0);
            } else {
                if (c == '\'' || c == '"') {
                    quote = c;
                } else if (c == '\\' && i + 1 < line.length()) {
                    cur.append(c);
                    c = line.charAt(++i);
                }
                cur.append(c);
            }
        }
        out.add(cur.toString().trim());
        return out.stream().filter(s -> !s.isEmpty()).toList();
    }
}

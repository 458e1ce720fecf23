package rsc.command;

import rsc.error.UsageException;
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

    /** The words of a line; {@code quote} is the quote the line ends inside, 0 when none. */
    public record Words(List<Word> words, char quote, boolean endsWithBlank) {
        public List<String> texts() {
            return words.stream().map(Word::text).toList();
        }

        /** Whether the line ends inside a quote. */
        public boolean open() {
            return quote != 0;
        }
    }

    /**
     * Where a line editor's cursor stands, so completion sees the words the engine will run: in word {@code index}
     * ({@code inWord}) with {@code textBefore} of its characters before the cursor, or between words, where a new word
     * {@code index} would start.
     */
    public record Cursor(Words words, int index, boolean inWord, int textBefore) {
    }

    /** The words of {@code line} and where {@code cursor} stands among them. */
    public static Cursor cursor(String line, int cursor) {
        Words all = scan(line);
        Words before = scan(line.substring(0, cursor));
        int index = 0;
        for (Word w : all.words()) {
            if (w.start() <= cursor && cursor <= w.end()) {
                return new Cursor(all, index, true, textBefore(line, cursor, w, before));
            }
            if (w.end() < cursor) {
                index++;
            }
        }
        return new Cursor(all, index, false, 0);
    }

    /** How many characters of word {@code w}'s text lie before the cursor. */
    private static int textBefore(String line, int cursor, Word w, Words before) {
        if (cursor == w.start()) {
            return 0;
        }
        int text = before.words().get(before.words().size() - 1).text().length();
        if (cursor < line.length() && line.charAt(cursor - 1) == '\\') {
            // the prefix took its last backslash literally; in the line it may escape the character at the cursor
            List<Word> longer = scan(line.substring(0, cursor + 1)).words();
            Word next = longer.get(longer.size() - 1);
            if (next.end() == cursor + 1 && next.text().length() == text) {
                return text - 1;
            }
        }
        return text;
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
        return new Words(List.copyOf(words), quote, endsWithBlank);
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

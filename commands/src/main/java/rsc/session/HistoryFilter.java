package rsc.session;

import rsc.command.Tokenizer;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Decides which lines hold a secret: redis-cli's list of sensitive commands plus rsc's own password options. Such
 * lines never reach history, and echoes show them redacted. It judges the words the line would run as (split by the
 * same {@link Tokenizer} that runs it), so {@code CONFIG SET "requirepass" x} or {@code re\quirepass} is caught like
 * the plain spelling.
 */
public final class HistoryFilter {

    /** Words that hold or introduce a secret wherever they stand (AUTH, HELLO … AUTH, MIGRATE … AUTH/AUTH2, CONFIG SET …). */
    private static final Set<String> SECRET_WORDS = Set.of("auth", "auth2", "requirepass", "masterauth", "masteruser",
            "auth-pass", "auth-user", "sentinel-pass", "sentinel-user", "setuser");

    private HistoryFilter() {
    }

    /** True when the line must not be written to history. */
    public static boolean sensitive(String line) {
        if (line == null) {
            return false;
        }
        if (line.toLowerCase(Locale.ROOT).contains("password") || sensitiveWords(Tokenizer.scan(line).texts())) {
            return true;
        }
        for (String statement : Tokenizer.statements(line)) {
            if (sensitiveWords(Tokenizer.scan(statement).texts())) {
                return true;
            }
        }
        // a line that does not run as typed (an open quote) is judged by its blank-separated words without quotes
        return sensitiveWords(List.of(line.replaceAll("[\"'\\\\]", "").split("[\\s;]+")));
    }

    private static boolean sensitiveWords(List<String> words) {
        for (String w : words) {
            String word = w.toLowerCase(Locale.ROOT);
            // tls-key-file-pass, tls-client-key-file-pass (CONFIG SET), and any other "...-pass" parameter a later
            // Redis adds: a passphrase as much as auth-pass or sentinel-pass are
            if (SECRET_WORDS.contains(word) || word.startsWith("--password") || word.contains("password")
                    || word.endsWith("-pass")) {
                return true;
            }
        }
        return false;
    }

    /** The line, or a redacted stand-in when it holds a secret. */
    public static String redact(String line) {
        if (!sensitive(line)) {
            return line;
        }
        String[] words = line.strip().split("\\s+");
        return words[0] + " … (redacted: the line holds a secret)";
    }
}

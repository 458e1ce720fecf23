package rsc.session;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Decides which lines hold a secret: redis-cli's list of sensitive commands plus rsc's own password options.
 * Such lines never reach history, and echoes show them redacted.
 */
public final class HistoryFilter {

    private static final Pattern SENSITIVE = Pattern.compile(
            "(?i)(^|\\s)(auth|--password|--password-file|requirepass|masterauth|auth-pass|acl\\s+setuser|hello\\b.*\\bauth|"
                    + "migrate\\b.*\\bauth2?|config\\s+set\\s+(requirepass|masterauth)|sentinel\\s+(set|config)\\b.*\\bauth-pass)(\\s|=|$)");

    private HistoryFilter() {
    }

    /** True when the line must not be written to history. */
    public static boolean sensitive(String line) {
        return line != null && (SENSITIVE.matcher(line).find()
                || line.toLowerCase(Locale.ROOT).contains("password"));
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

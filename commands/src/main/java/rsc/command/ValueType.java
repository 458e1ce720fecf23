package rsc.command;

import rsc.error.UsageException;
import rsc.model.Names;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** The typed values an argument or option can take: each parses, validates and says how it completes. */
public enum ValueType {
    WORD(CompletionSource.NONE),
    COUNT(CompletionSource.NONE),
    NUMBER(CompletionSource.NONE),
    PORT(CompletionSource.NONE),
    MILLIS(CompletionSource.NONE),
    DURATION(CompletionSource.NONE),
    GROUP(CompletionSource.GROUPS),
    NODE(CompletionSource.NODES),
    REDIS_NODE(CompletionSource.REDIS_NODES),
    SENTINEL_NODE(CompletionSource.SENTINEL_NODES),
    REDIS_COMMAND(CompletionSource.REDIS_COMMANDS),
    SERVICE(CompletionSource.SERVICES),
    SERVICE_OR_TASK(CompletionSource.TASKS),
    /** Comma-separated service names (no live completion: they name services rsc did not create). */
    SERVICE_LIST(CompletionSource.NONE),
    FILE(CompletionSource.FILES),
    COMMAND_NAME(CompletionSource.COMMANDS);

    private final CompletionSource source;

    ValueType(CompletionSource source) {
        this.source = source;
    }

    public CompletionSource source() {
        return source;
    }

    /** Turns the raw text into a typed value, or throws a usage error naming {@code label}. */
    public Object parse(String raw, String label) {
        switch (this) {
            case COUNT:
                return parseLong(raw, label, 0, 1000, "a count from 0 to 1000").intValue();
            case NUMBER:
                return parseLong(raw, label, Long.MIN_VALUE, Long.MAX_VALUE, "a whole number");
            case PORT:
                return parseLong(raw, label, 1, 65535, "a port from 1 to 65535").intValue();
            case MILLIS:
                return parseLong(raw, label, 1, 86_400_000L, "milliseconds from 1 to 86400000");
            case DURATION:
                return parseDuration(raw, label);
            case GROUP:
            case NODE:
            case REDIS_NODE:
            case SENTINEL_NODE:
            case SERVICE:
            case SERVICE_OR_TASK:
                Names.check(raw, label);
                return raw;
            case SERVICE_LIST:
                for (String part : raw.split(",", -1)) {
                    Names.check(part.trim(), label);
                }
                return raw;
            default:
                if (raw.indexOf('\n') >= 0 || raw.indexOf('\r') >= 0) {
                    throw new UsageException(label + " must not contain a line break");
                }
                return raw;
        }
    }

    private static Long parseLong(String raw, String label, long min, long max, String what) {
        long value;
        try {
            value = Long.parseLong(raw.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new UsageException(label + " must be " + what + ", not '" + Names.printable(raw) + "'");
        }
        if (value < min || value > max) {
            throw new UsageException(label + " must be " + what + ", not " + value);
        }
        return value;
    }

    /** Parses {@code 30s}, {@code 500ms}, {@code 2m}, {@code 1h}; a bare number means seconds. */
    static Duration parseDuration(String raw, String label) {
        String text = raw.trim().toLowerCase(Locale.ROOT);
        List<String> units = List.of("ms", "s", "m", "h");
        String unit = "s";
        String digits = text;
        for (String u : units) {
            if (text.endsWith(u) && text.length() > u.length()
                    && Character.isDigit(text.charAt(text.length() - u.length() - 1))) {
                unit = u;
                digits = text.substring(0, text.length() - u.length());
                break;
            }
        }
        long n = parseLong(digits, label, 0, 86_400_000L, "a duration such as 30s, 500ms or 2m");
        Duration d = switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
        if (d.isZero() || d.compareTo(Duration.ofHours(24)) > 0) {
            throw new UsageException(label + " must be a duration above 0 and at most 24h, not '" + Names.printable(raw) + "'");
        }
        return d;
    }
}

package rsc.redis;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import rsc.command.CancelledException;
import rsc.command.RscException;

import java.util.Optional;

/**
 * Lettuce's exceptions turned into rsc's at the edge, so no code outside {@code rsc.redis} knows them: an error
 * reply is a {@link RespError} (as the plain client's), a timeout or a lost connection one line, an interrupted
 * call {@link CancelledException}.
 */
public final class RedisErrors {

    private RedisErrors() {
    }

    /** rsc's exception for a Lettuce one; empty for anything else. */
    public static Optional<RuntimeException> translate(Throwable t) {
        if (t instanceof RedisCommandExecutionException) {
            return Optional.of(new RespError(firstLine(t.getMessage())));
        }
        if (t instanceof RedisCommandInterruptedException) {
            Thread.currentThread().interrupt();
            return Optional.of(new CancelledException());
        }
        if (t instanceof RedisCommandTimeoutException) {
            return Optional.of(new RscException("no reply from Redis in time: " + firstLine(t.getMessage()), t));
        }
        if (t instanceof RedisConnectionException) {
            Throwable c = t;
            while (c.getCause() != null && c.getCause() != c) {
                c = c.getCause();
            }
            String cause = c == t || c.getMessage() == null ? "" : ": " + firstLine(c.getMessage());
            return Optional.of(new RscException(firstLine(t.getMessage()) + cause, t));
        }
        return Optional.empty();
    }

    /** Whether the failure is a reply in which Redis refused (the connection is fine). */
    static boolean isReply(Throwable t) {
        return t instanceof RedisCommandExecutionException || t instanceof RespError;
    }

    private static String firstLine(String message) {
        if (message == null || message.isBlank()) {
            return "(no message)";
        }
        String first = message.strip().lines().findFirst().orElse("");
        return first.length() > 300 ? first.substring(0, 297) + "..." : first;
    }
}

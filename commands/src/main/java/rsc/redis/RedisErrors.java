package rsc.redis;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import rsc.error.CancelledException;
import rsc.error.RscException;

import java.util.Optional;

/**
 * Lettuce's exceptions turned into rsc's at the edge, so no code outside {@code rsc.redis} knows them: an error
 * reply is a {@link RespError} (as the plain client's), a timeout or a lost connection one line, an interrupted
 * call {@link CancelledException}.
 */
final class RedisErrors {

    private RedisErrors() {
    }

    /** rsc's exception for a Lettuce one; empty for anything else. */
    static Optional<RuntimeException> translate(Throwable t) {
        if (t instanceof RedisCommandExecutionException) {
            return Optional.of(new RespError(rsc.error.OneLine.of(t.getMessage())));
        }
        if (t instanceof RedisCommandInterruptedException) {
            Thread.currentThread().interrupt();
            return Optional.of(new CancelledException());
        }
        if (t instanceof RedisCommandTimeoutException) {
            return Optional.of(new RscException("no reply from Redis in time: " + rsc.error.OneLine.of(t.getMessage()), t));
        }
        if (t instanceof RedisConnectionException) {
            Throwable c = t;
            while (c.getCause() != null && c.getCause() != c) {
                c = c.getCause();
            }
            String cause = c == t || c.getMessage() == null ? "" : ": " + rsc.error.OneLine.of(c.getMessage());
            return Optional.of(new RscException(rsc.error.OneLine.of(t.getMessage()) + cause, t));
        }
        if (t instanceof io.lettuce.core.RedisException) {
            // Lettuce's other failures are about the connection ("Connection closed" when a node is cut off mid-command)
            String m = rsc.error.OneLine.of(t.getMessage());
            return Optional.of(new RscException(m.equals("Connection closed") ? "connection closed" : m, t));
        }
        return Optional.empty();
    }

    /**
     * The cause of an asynchronous failure (unwrapped from {@link java.util.concurrent.CompletionException}) as rsc's
     * exception, or as it was when it is not Lettuce's.
     */
    static Throwable translated(Throwable t) {
        Throwable cause = t;
        while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        Throwable c = cause;
        return translate(c).map(Throwable.class::cast).orElse(c);
    }

    /** Whether the failure is a reply in which Redis refused (the connection is fine). */
    static boolean isReply(Throwable t) {
        return t instanceof RedisCommandExecutionException || t instanceof RespError;
    }
}

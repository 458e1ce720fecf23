package rsc.redis;

import rsc.error.RscException;

/**
 * An error reply ({@code -ERR ...}, {@code -NOQUORUM ...}) from Redis, through either client (Lettuce's are turned into
 * it by {@link RedisErrors}). It is a value inside a
 * pipeline's replies and, thrown, the one-line failure the operator reads, worded as the Lettuce path words it.
 */
public final class RespError extends RscException {

    private final String text;

    RespError(String text) {
        super("redis replied: " + text);
        this.text = text;
    }

    /** The reply as Redis sent it, without the leading {@code -}. */
    public String text() {
        return text;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;    // a reply, not a fault in rsc: the stack says nothing
    }
}

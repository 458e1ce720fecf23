package rsc.session;

import rsc.error.CancelledException;
import rsc.error.RscException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Turns whatever else was thrown into the one line an operator reads; stack traces only with RSC_DEBUG=1. Redis
 * failures arrive already as rsc's exceptions: {@code rsc.redis} translates Lettuce's before they leave it.
 */
public final class ErrorTranslator {

    private ErrorTranslator() {
    }

    public static RscException translate(Throwable e) {
        Throwable t = unwrap(e);
        if (t instanceof RscException r) {
            return r;
        }
        if (t instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return new CancelledException();
        }
        if (Boolean.parseBoolean(System.getenv().getOrDefault("RSC_DEBUG", "false"))
                || "1".equals(System.getenv("RSC_DEBUG"))) {
            t.printStackTrace();
        }
        if (t instanceof IOException || t instanceof UncheckedIOException) {
            return new RscException("I/O error: " + rsc.error.OneLine.of(t.getMessage()), t);
        }
        return new RscException("internal error: " + t.getClass().getSimpleName() + ": " + rsc.error.OneLine.of(t.getMessage())
                + " (run with RSC_DEBUG=1 for the stack trace)", t);
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof ExecutionException || t instanceof CompletionException
                || t instanceof java.lang.reflect.UndeclaredThrowableException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof RuntimeException && t.getCause() instanceof InterruptedException) {
            return t.getCause();
        }
        return t;
    }
}

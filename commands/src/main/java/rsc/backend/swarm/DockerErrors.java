package rsc.backend.swarm;

import com.github.dockerjava.api.exception.DockerException;
import rsc.error.RscException;

import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Docker failures as the one line an operator reads: the engine's own message, or why the engine was not reached. */
final class DockerErrors {

    private static final Pattern MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private DockerErrors() {
    }

    /** A failure to do {@code what} on the engine at {@code host}, as one {@link RscException}. */
    static RscException translate(String host, String what, Throwable e) {
        if (e instanceof RscException r) {
            return r;
        }
        if (e instanceof DockerException d) {
            if (SwarmControlLost.says(dockerMessage(d))) {
                return SwarmControlLost.fromEngine(what, dockerMessage(d), e);
            }
            return new RscException("docker: cannot " + what + ": " + dockerMessage(d), e);
        }
        return new RscException("cannot reach the Docker Engine at " + host + ": " + reason(e), e);
    }

    /** The engine's own message out of a DockerException ({@code Status 409: {"message":"..."}}). */
    static String dockerMessage(DockerException d) {
        return engineMessage(Objects.toString(d.getMessage(), ""));
    }

    /** The engine's own message out of the text of its error answer ({@code {"message":"..."}}), on one line. */
    static String engineMessage(String text) {
        Matcher m = MESSAGE.matcher(text);
        String msg = m.find() ? m.group(1).replace("\\\"", "\"").replace("\\n", " ") : text;
        return oneLine(msg);
    }

    static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = root.getMessage();
        if (root instanceof TimeoutException || root instanceof java.net.SocketTimeoutException) {
            msg = "timed out" + (msg == null ? "" : " (" + msg + ")");
        }
        return oneLine(msg == null || msg.isBlank() ? root.getClass().getSimpleName() : msg);
    }

    static String oneLine(String s) {
        String t = s == null ? "" : s.replaceAll("\\s+", " ").trim();
        return t.length() > 300 ? t.substring(0, 300) + "..." : t;
    }

    static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    /** Runs one Engine API call; its failure becomes rsc's one-line error naming {@code what} and the engine. */
    static <T> T call(String host, String what, java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (RuntimeException e) {
            throw translate(host, what, e);
        }
    }
}

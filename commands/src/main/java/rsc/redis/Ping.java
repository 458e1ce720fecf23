package rsc.redis;

import rsc.model.Endpoint;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Whether a Redis listens at an address: the one probe both backends wait on after starting a node, so they agree on
 * what "up" means. {@code +PONG}, {@code -NOAUTH} (a password is set) and {@code -LOADING} (the process is up and
 * reading its data set from disk) all say a Redis is there; anything else, or nothing in time, says it is not.
 */
public final class Ping {

    private Ping() {
    }

    /** Sends {@code PING} without a password; never waits longer than the two timeouts together. */
    public static boolean answers(Endpoint at, Duration connectTimeout, Duration readTimeout) {
        try (RespConnection c = RespConnection.open(new InetSocketAddress(at.host(), at.port()), Optional.empty(),
                connectTimeout, readTimeout, true)) {
            return listening(c.pipeline(List.of(List.of("PING"))).get(0));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Whether a reply to {@code PING} comes from a Redis that is up. */
    static boolean listening(Object reply) {
        if (reply instanceof RespStatus s) {
            return s.text().equals("PONG");
        }
        return reply instanceof RespError e && (e.text().startsWith("NOAUTH") || e.text().startsWith("LOADING"));
    }
}

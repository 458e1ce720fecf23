package rsc.redis;

import org.junit.jupiter.api.Test;
import rsc.error.RscException;
import rsc.model.Endpoint;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Redis edge seen from outside {@code rsc.redis}: one PING rule, and every failure of the Lettuce path already
 * rsc's exception when it leaves the package (a caller never needs to know Lettuce's types to read it).
 */
class RedisEdgeUnitTests {

    private static final Duration SHORT = Duration.ofMillis(500);

    private static boolean ping(String reply) throws IOException {
        try (FakeRedis fake = new FakeRedis(c -> reply)) {
            return Ping.answers(new Endpoint("127.0.0.1", fake.port()), SHORT, SHORT);
        }
    }

    @Test
    void aRedisThatIsUpLoadingOrLockedAnswersPing() throws IOException {
        assertTrue(ping("+PONG\r\n"));
        assertTrue(ping("-NOAUTH Authentication required.\r\n"));
        assertTrue(ping("-LOADING Redis is loading the dataset in memory\r\n"), "a loading Redis is up");
    }

    @Test
    void anythingElseIsNotARedisThatIsUp() throws IOException {
        assertFalse(ping("-ERR unknown command\r\n"));
        assertFalse(ping("+OK\r\n"));
        assertFalse(ping("$4\r\nPONG\r\n"), "a bulk string is not the status reply Redis sends");
        assertFalse(ping(null), "silence within the read timeout");
        assertFalse(Ping.answers(new Endpoint("127.0.0.1", closedPort()), SHORT, SHORT), "nothing listens");
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static RedisGateway gateway() {
        return RedisGateway.lettuce(Function.identity(), e -> java.util.Optional.empty());
    }

    @Test
    void aNodeThatCannotBeReachedIsOneLineOfRsc() throws IOException {
        Endpoint nobody = new Endpoint("127.0.0.1", closedPort());
        try (RedisGateway g = gateway()) {
            RscException e = assertThrows(RscException.class, () -> g.node(nobody).replication());
            assertTrue(e.getMessage().contains(String.valueOf(nobody.port())), e.getMessage());
            // Lettuce's sentinel connection said only "Unable to connect: Connection refused": which one?
            e = assertThrows(RscException.class, () -> g.sentinel(nobody).master("g"));
            assertTrue(e.getMessage().contains(nobody.toString()), e.getMessage());
            e = assertThrows(RscException.class, () -> g.subscribe(nobody, true, "*", (c, m) -> { }));
            assertTrue(e.getMessage().contains(String.valueOf(nobody.port())), e.getMessage());
        }
    }

    /**
     * A connection Lettuce finds closed (a node cut off mid-command) is a fact about that node, not an internal error:
     * CI's status table read {@code internal error: RedisException: Connection closed (run with RSC_DEBUG=1 …)}.
     */
    @Test
    void aClosedConnectionIsOneLineOfRscNotAnInternalError() {
        RuntimeException t = RedisErrors.translate(new io.lettuce.core.RedisException("Connection closed")).orElseThrow();
        assertInstanceOf(RscException.class, t);
        assertEquals("connection closed", t.getMessage());
        assertEquals("Connection reset by peer", RedisErrors.translate(new io.lettuce.core.RedisException(
                "Connection reset by peer\nat somewhere")).orElseThrow().getMessage());
    }

    @Test
    void anUnreachableSentinelsReportFailsWithRscsException() throws Exception {
        Endpoint nobody = new Endpoint("127.0.0.1", closedPort());
        try (RedisGateway g = gateway()) {
            CompletionException e = assertThrows(CompletionException.class,
                    () -> g.sentinelReport(nobody, "g", true).orTimeout(10, TimeUnit.SECONDS).join());
            assertInstanceOf(RscException.class, e.getCause(), String.valueOf(e.getCause()));
        }
    }

    @Test
    void anErrorReplyInAReportIsRscsErrorReply() throws Exception {
        // MASTER answers, CKQUORUM refuses: the refusal is the answer, worded as Redis sent it
        try (FakeRedis fake = new FakeRedis(c -> switch (c.size() < 2 ? c.get(0) : c.get(1).toUpperCase()) {
            case "MASTER" -> "*4\r\n$4\r\nname\r\n$1\r\ng\r\n$2\r\nip\r\n$9\r\n127.0.0.1\r\n";
            case "CKQUORUM" -> "-NOQUORUM 1 usable Sentinels\r\n";
            case "PING" -> "+PONG\r\n";
            default -> "-ERR unknown command '" + c.get(0) + "'\r\n";     // HELLO: Lettuce falls back to RESP2
        }); RedisGateway g = gateway()) {
            SentinelReport r = g.sentinelReport(new Endpoint("127.0.0.1", fake.port()), "g", false)
                    .orTimeout(10, TimeUnit.SECONDS).join();
            assertFalse(r.ckquorum().orElseThrow().ok());
            assertEquals("NOQUORUM 1 usable Sentinels", r.ckquorum().orElseThrow().text());
        }
    }
}

package rsc.redis;

import org.junit.jupiter.api.Test;
import rsc.error.RscException;
import rsc.model.Endpoint;
import rsc.model.Secret;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The plain-socket RESP2 client: reply parsing, pipelining, AUTH, timeouts, one-line failures. */
class RespClientUnitTests {

    private static Object parse(String wire) throws IOException {
        return new RespReader(new ByteArrayInputStream(wire.getBytes(StandardCharsets.UTF_8))).read();
    }

    @Test
    void parsesEveryReplyType() throws IOException {
        assertEquals("OK", parse("+OK\r\n"));
        assertEquals(42L, parse(":42\r\n"));
        assertEquals(-1L, parse(":-1\r\n"));
        assertEquals("héllo\r\nworld", parse("$13\r\nhéllo\r\nworld\r\n"));
        assertEquals("", parse("$0\r\n\r\n"));
        assertNull(parse("$-1\r\n"));
        assertNull(parse("*-1\r\n"));
        assertEquals(List.of(), parse("*0\r\n"));
        RespError e = assertInstanceOf(RespError.class, parse("-NOQUORUM 1 usable Sentinels\r\n"));
        assertEquals("NOQUORUM 1 usable Sentinels", e.text());
        assertEquals("redis replied: NOQUORUM 1 usable Sentinels", e.getMessage());
    }

    @Test
    void parsesNestedArraysWithNilsAndErrorsInside() throws IOException {
        Object r = parse("*3\r\n*2\r\n$4\r\nname\r\n$2\r\ng1\r\n*2\r\n:1\r\n$-1\r\n-ERR inner\r\n");
        List<?> outer = assertInstanceOf(List.class, r);
        assertEquals(List.of("name", "g1"), outer.get(0));
        assertEquals(Arrays.asList(1L, null), outer.get(1));
        assertEquals("ERR inner", assertInstanceOf(RespError.class, outer.get(2)).text());
    }

    @Test
    void garbageAndTruncationAreIoErrorsNotHangs() {
        assertThrows(ProtocolException.class, () -> parse("?what\r\n"));
        assertThrows(ProtocolException.class, () -> parse(":12x\r\n"));
        assertThrows(ProtocolException.class, () -> parse("+OK\rX"));
        assertThrows(EOFException.class, () -> parse("+OK\n"));
        assertThrows(EOFException.class, () -> parse("$10\r\nshort\r\n"));
        assertThrows(EOFException.class, () -> parse("*2\r\n:1\r\n"));
        assertThrows(EOFException.class, () -> parse(""));
    }

    @Test
    void pipelinesCommandsInOneWriteAndReadsRepliesInOrder() throws IOException {
        try (FakeRedis redis = new FakeRedis(cmd -> switch (cmd.get(0)) {
            case "PING" -> "+PONG\r\n";
            case "ECHO" -> "$" + cmd.get(1).length() + "\r\n" + cmd.get(1) + "\r\n";
            default -> "-ERR unknown command '" + cmd.get(0) + "'\r\n";
        }); RespConnection c = RespConnection.open(redis.address(), Optional.empty(), Duration.ofSeconds(2),
                Duration.ofSeconds(3))) {
            List<Object> replies = c.pipeline(List.of(List.of("PING"), List.of("ECHO", "a b"), List.of("NOPE")));
            assertEquals("PONG", replies.get(0));
            assertEquals("a b", replies.get(1));
            assertEquals("ERR unknown command 'NOPE'", ((RespError) replies.get(2)).text());
            assertEquals(List.of(List.of("PING"), List.of("ECHO", "a b"), List.of("NOPE")), redis.received);
        }
    }

    @Test
    void authenticatesFirstWithThePassword() throws IOException {
        try (FakeRedis redis = new FakeRedis(cmd -> cmd.get(0).equals("AUTH")
                ? (cmd.get(1).equals("s3cret") ? "+OK\r\n" : "-WRONGPASS invalid username-password pair\r\n")
                : "+PONG\r\n")) {
            try (RespConnection c = RespConnection.open(redis.address(), Optional.of(new Secret("s3cret")),
                    Duration.ofSeconds(2), Duration.ofSeconds(3))) {
                assertEquals(List.of("PONG"), c.pipeline(List.of(List.of("PING"))));
            }
            assertEquals(List.of("AUTH", "s3cret"), redis.received.get(0));
            RespError wrong = assertThrows(RespError.class, () -> RespConnection.open(redis.address(),
                    Optional.of(new Secret("nope")), Duration.ofSeconds(2), Duration.ofSeconds(3)));
            assertEquals("redis replied: WRONGPASS invalid username-password pair", wrong.getMessage());
            assertFalse(wrong.getMessage().contains("nope"), "the password never appears in an error");
        }
    }

    @Test
    void aServerThatNeverAnswersTimesOutAtTheDeadline() throws IOException {
        try (FakeRedis silent = new FakeRedis(cmd -> null);
             RespConnection c = RespConnection.open(silent.address(), Optional.empty(), Duration.ofSeconds(2),
                     Duration.ofMillis(300))) {
            long t0 = System.nanoTime();
            assertThrows(SocketTimeoutException.class, () -> c.pipeline(List.of(List.of("PING"))));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(ms >= 250 && ms < 2000, "timed out after " + ms + " ms");
        }
    }

    @Test
    void aReplyTricklingInSlowerThanTheDeadlineStillTimesOut() throws IOException {
        // one byte every 100 ms never trips a per-read timeout of 300 ms; the deadline covers the whole reply
        try (FakeRedis trickle = new FakeRedis(cmd -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "*5\r\n";    // then nothing more: the array never completes
        }); RespConnection c = RespConnection.open(trickle.address(), Optional.empty(), Duration.ofSeconds(2),
                Duration.ofMillis(300))) {
            long t0 = System.nanoTime();
            assertThrows(SocketTimeoutException.class, () -> c.pipeline(List.of(List.of("PING"))));
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) < 2000);
        }
    }

    private static PlainReads reads(ExecutorService pool, Optional<Secret> password) {
        return new PlainReads(e -> e, e -> password, pool);
    }

    @Test
    void unreachableNodeIsAOneLineError() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();    // free, and closed again: nothing listens there
        }
        ExecutorService pool = Executors.newCachedThreadPool();
        try (PlainReads reads = reads(pool, Optional.empty())) {
            Endpoint e = new Endpoint("127.0.0.1", port);
            RscException x = assertThrows(RscException.class, () -> reads.node(e).replication());
            assertTrue(x.getMessage().startsWith("cannot connect to 127.0.0.1:" + port + ": "), x.getMessage());
            assertFalse(x.getMessage().contains("\n"));
            RscException y = assertThrows(RscException.class, () -> reads.node(new Endpoint("no-such-host.invalid", 6379))
                    .replication());
            assertEquals("cannot connect to no-such-host.invalid:6379: unknown host", y.getMessage());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aKeptConnectionTheServerClosedIsOpenedAgainOnce() throws Exception {
        try (FakeRedis redis = new FakeRedis(cmd -> "$28\r\n# Replication\r\nrole:master\r\n\r\n", true)) {
            ExecutorService pool = Executors.newCachedThreadPool();
            try (PlainReads reads = reads(pool, Optional.empty())) {
                Endpoint e = new Endpoint("127.0.0.1", redis.port());
                assertTrue(reads.node(e).replication().isMaster());
                assertTrue(reads.node(e).replication().isMaster());
                assertEquals(2, redis.connections);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void sentinelReportAsksMasterCkquorumAndReplicasInOneRoundTrip() throws Exception {
        String master = "*12\r\n$4\r\nname\r\n$2\r\ng1\r\n$2\r\nip\r\n$9\r\n127.0.0.1\r\n$4\r\nport\r\n$4\r\n7000\r\n"
                + "$5\r\nflags\r\n$6\r\nmaster\r\n$6\r\nquorum\r\n$1\r\n2\r\n$12\r\nconfig-epoch\r\n$1\r\n3\r\n";
        String replicas = "*1\r\n*10\r\n$2\r\nip\r\n$9\r\n127.0.0.1\r\n$4\r\nport\r\n$4\r\n7001\r\n$5\r\nflags\r\n$5\r\nslave\r\n"
                + "$18\r\nmaster-link-status\r\n$2\r\nok\r\n$17\r\nslave-repl-offset\r\n$3\r\n100\r\n";
        try (FakeRedis sentinel = new FakeRedis(cmd -> switch (cmd.get(1)) {
            case "MASTER" -> cmd.get(2).equals("g1") ? master : "-ERR No such master with that name\r\n";
            case "CKQUORUM" -> cmd.get(2).equals("g1") ? "+OK 3 usable Sentinels. Quorum and failover authorization can be reached\r\n"
                    : "-ERR No such master with that name\r\n";
            case "REPLICAS" -> cmd.get(2).equals("g1") ? replicas : "-ERR No such master with that name\r\n";
            default -> "-ERR unexpected\r\n";
        })) {
            ExecutorService pool = Executors.newCachedThreadPool();
            try (PlainReads reads = reads(pool, Optional.empty())) {
                Endpoint e = new Endpoint("127.0.0.1", sentinel.port());
                SentinelReport r = reads.sentinelReport(e, "g1", true).get(5, TimeUnit.SECONDS);
                SentinelMaster m = r.master().orElseThrow();
                assertEquals(new Endpoint("127.0.0.1", 7000), m.address());
                assertEquals(2, m.quorum());
                assertEquals(3, m.configEpoch());
                assertTrue(r.ckquorum().orElseThrow().ok());
                SentinelPeer p = r.replicas().orElseThrow().get(0);
                assertEquals(new Endpoint("127.0.0.1", 7001), p.address());
                assertTrue(p.linkUp());
                assertEquals(100, p.offset());
                assertEquals(List.of(List.of("SENTINEL", "MASTER", "g1"), List.of("SENTINEL", "CKQUORUM", "g1"),
                        List.of("SENTINEL", "REPLICAS", "g1")), sentinel.received);
                assertEquals(1, sentinel.connections);

                SentinelReport none = reads.sentinelReport(e, "other", false).get(5, TimeUnit.SECONDS);
                assertTrue(none.master().isEmpty() && none.ckquorum().isEmpty() && none.replicas().isEmpty());
                assertTrue(reads.sentinel(e).master("other").isEmpty());
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void aRefusedCkquorumIsAnAnswerNotAFailure() throws Exception {
        try (FakeRedis sentinel = new FakeRedis(cmd -> "-NOQUORUM 1 usable Sentinels. Not enough available Sentinels "
                + "to reach the specified quorum for this master\r\n")) {
            ExecutorService pool = Executors.newCachedThreadPool();
            try (PlainReads reads = reads(pool, Optional.empty())) {
                CkQuorum q = reads.sentinel(new Endpoint("127.0.0.1", sentinel.port())).ckquorum("g1");
                assertFalse(q.ok());
                assertTrue(q.text().startsWith("NOQUORUM 1 usable Sentinels"), q.text());
            } finally {
                pool.shutdownNow();
            }
        }
    }
}

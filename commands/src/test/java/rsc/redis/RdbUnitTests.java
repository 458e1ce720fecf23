package rsc.redis;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import rsc.error.RscException;
import rsc.model.Endpoint;
import rsc.model.Secret;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The RDB pieces without a Redis: the CRC-64 Redis uses, the walker on hand-built files (whole, cut off, damaged,
 * not an RDB at all), and a snapshot fetched from rsc's one-shot master over the replication handshake, with and
 * without the password, in both the {@code $<length>} and the diskless {@code $EOF:} forms.
 */
class RdbUnitTests {

    private Path dir;

    private Path dir() throws IOException {
        if (dir == null) {
            dir = Files.createTempDirectory("rsc-rdb-");
        }
        return dir;
    }

    @AfterEach
    void clean() throws IOException {
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** REDIS0010, an aux field, db 0 with two keys (one with a TTL, one integer-encoded), the end marker, the CRC. */
    static byte[] smallRdb() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes("REDIS0010".getBytes(StandardCharsets.US_ASCII));
        b.write(0xFA);
        str(b, "redis-ver");
        str(b, "7.0.15");
        b.write(0xFE);
        b.write(0);
        b.write(0xFB);
        b.write(2);
        b.write(1);
        b.write(0xFC);
        b.writeBytes(new byte[]{1, 2, 3, 4, 5, 6, 7, 0});
        b.write(0);
        str(b, "k1");
        str(b, "v1");
        b.write(0);
        str(b, "k2");
        b.write(0xC0);
        b.write(5);
        b.write(0xFF);
        Crc64 crc = new Crc64();
        byte[] body = b.toByteArray();
        crc.update(body, 0, body.length);
        long v = crc.value();
        for (int i = 0; i < 8; i++) {
            b.write((int) (v >>> (8 * i)) & 0xff);
        }
        return b.toByteArray();
    }

    private static void str(ByteArrayOutputStream b, String s) {
        b.write(s.length());
        b.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    private Path write(byte[] content) throws IOException {
        Path p = Files.createTempFile(dir(), "t-", ".rdb");
        Files.write(p, content);
        return p;
    }

    @Test
    void crc64IsRedissJonesVariant() {
        Crc64 c = new Crc64();
        byte[] s = "123456789".getBytes(StandardCharsets.US_ASCII);
        c.update(s, 0, s.length);
        assertEquals(0xe9c6d914c4b8d9caL, c.value());
    }

    @Test
    void eachRedisReadsUpToTheVersionItWrites() {
        assertEquals(9, RdbSummary.versionWrittenBy("6.2.6"));
        assertEquals(10, RdbSummary.versionWrittenBy("7.0.15"));
        assertEquals(11, RdbSummary.versionWrittenBy("7.2.4"));
        assertEquals(12, RdbSummary.versionWrittenBy("7.4.0"));
        assertEquals(Integer.MAX_VALUE, RdbSummary.versionWrittenBy("?"), "an unknown release is not refused");
    }

    @Test
    void aWholeFileIsCountedAndItsChecksumVerified() throws IOException {
        RdbSummary s = RdbCheck.inspect(write(smallRdb()));
        assertEquals(10, s.version());
        assertEquals(2, s.keys());
        assertEquals(1, s.expiring());
        assertEquals("verified", s.checksum());
    }

    @Test
    void damagedFilesAreRefusedInOneLine() throws IOException {
        byte[] ok = smallRdb();
        byte[] flipped = ok.clone();
        flipped[30] ^= 0x01;
        assertRefused(flipped, "is not a valid RDB file");
        assertRefused(Arrays.copyOf(ok, ok.length - 5), "before its end marker");
        byte[] longer = Arrays.copyOf(ok, ok.length + 3);
        assertRefused(longer, "3 byte(s) after its end marker");
        assertRefused("hello, not a dump\n".getBytes(StandardCharsets.US_ASCII), "does not start with REDIS");
        byte[] future = ok.clone();
        future[5] = '9';
        assertRefused(future, "RDB version 9010 is newer than rsc knows");
        byte[] badType = ok.clone();
        badType[35] = (byte) 0x70;
        assertRefused(badType, "is not a valid RDB file");
    }

    private void assertRefused(byte[] content, String expected) throws IOException {
        Path p = write(content);
        RscException e = assertThrows(RscException.class, () -> RdbCheck.inspect(p));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void theOneShotMasterServesTheFileOnceAndOnlyWithThePassword() throws IOException {
        byte[] rdb = smallRdb();
        Path file = write(rdb);
        Optional<Secret> pw = Optional.of(new Secret("s3cret"));
        try (RdbServer server = RdbServer.start("127.0.0.1", pw, file)) {
            Endpoint at = new Endpoint("127.0.0.1", server.port());
            RscException wrong = assertThrows(RscException.class, () -> fetch(at, Optional.of(new Secret("nope"))));
            assertTrue(wrong.getMessage().contains("refused the group's password"), wrong.getMessage());
            RscException none = assertThrows(RscException.class, () -> fetch(at, Optional.empty()));
            assertTrue(none.getMessage().contains("NOAUTH"), none.getMessage());
            assertEquals(0, server.requests(), "no file for either");

            ByteArrayOutputStream got = new ByteArrayOutputStream();
            RdbDownload.Transfer t = RdbDownload.fetch(at, pw, got, n -> { }, Duration.ofSeconds(2), Duration.ofSeconds(5));
            assertArrayEquals(rdb, got.toByteArray());
            assertEquals(rdb.length, t.bytes());
            assertFalse(t.diskless());

            RscException again = assertThrows(RscException.class, () -> fetch(at, pw));
            assertTrue(again.getMessage().contains("serves this file once"), again.getMessage());
            assertEquals(2, server.requests());
        }
    }

    private static void fetch(Endpoint at, Optional<Secret> pw) {
        RdbDownload.fetch(at, pw, OutputStream.nullOutputStream(), n -> { }, Duration.ofSeconds(2), Duration.ofSeconds(5));
    }

    @Test
    void theDisklessFormEndsAtItsMarkWhateverFollows() throws Exception {
        byte[] payload = new byte[200_000];
        new Random(7).nextBytes(payload);
        String mark = "0123456789abcdef0123456789abcdef01234567";
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread fake = new Thread(() -> {
                try (Socket s = ss.accept()) {
                    var in = new RespReader(new java.io.BufferedInputStream(s.getInputStream()));
                    OutputStream out = s.getOutputStream();
                    in.read();
                    out.write("-ERR Unrecognized REPLCONF option: rdb-only\r\n".getBytes(StandardCharsets.US_ASCII));
                    in.read();
                    out.write("+OK\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.write("\n\n\n$EOF:".getBytes(StandardCharsets.US_ASCII));
                    out.write((mark + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(payload);
                    out.write(mark.getBytes(StandardCharsets.US_ASCII));
                    out.write("*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));   // the feed of an old node
                    out.flush();
                    Thread.sleep(3000);
                } catch (Exception e) {
                    // the test fails on what it received
                }
            });
            fake.setDaemon(true);
            fake.start();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            RdbDownload.Transfer t = RdbDownload.fetch(new Endpoint("127.0.0.1", ss.getLocalPort()), Optional.empty(), got,
                    n -> { }, Duration.ofSeconds(2), Duration.ofSeconds(5));
            assertArrayEquals(payload, got.toByteArray());
            assertTrue(t.diskless());
            assertFalse(t.rdbOnly());
        }
    }
}

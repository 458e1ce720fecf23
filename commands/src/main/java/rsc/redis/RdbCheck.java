package rsc.redis;

import rsc.error.RscException;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads an RDB file from its {@code REDIS} magic to its end marker and CRC-64, skipping every value by its encoding
 * (as {@code redis-check-rdb} walks it, without building anything): a cut-off or damaged file is refused before it is
 * kept as a backup or served to a node, and the keys it holds are counted, so a restore can check that all arrived.
 */
public final class RdbCheck {

    /** The newest RDB version whose layout this walker knows (Redis 7.4 writes 12). */
    static final int NEWEST = 12;

    private final Source in;
    private int version;
    private long keys;
    private long expiring;

    private RdbCheck(InputStream in) {
        this.in = new Source(in);
    }

    /** Walks the file; a one-line {@link RscException} saying what is wrong with it, and where, when it is not whole. */
    public static RdbSummary inspect(Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new RscException("cannot read " + file + ": " + e.getMessage());
        }
        RdbCheck walker;
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 64 * 1024)) {
            walker = new RdbCheck(raw);
            String checksum = walker.walk();
            if (walker.in.position != size) {
                throw new RscException(file + " is not a valid RDB file: " + (size - walker.in.position)
                        + " byte(s) after its end marker");
            }
            return new RdbSummary(walker.version, walker.keys, walker.expiring, size, checksum);
        } catch (EOFException e) {
            throw new RscException(file + " is not a valid RDB file: it ends at byte " + size
                    + " before its end marker (cut off?)");
        } catch (Damaged e) {
            throw new RscException(file + " is not a valid RDB file: " + e.getMessage());
        } catch (IOException e) {
            throw new RscException("cannot read " + file + ": " + e.getMessage());
        }
    }

    private String walk() throws IOException {
        byte[] magic = in.bytes(9);
        String head = new String(magic, StandardCharsets.US_ASCII);
        if (!head.startsWith("REDIS") || !head.substring(5).chars().allMatch(Character::isDigit)) {
            throw new Damaged("it does not start with REDIS and a version (a dump of something else?)");
        }
        version = Integer.parseInt(head.substring(5));
        if (version < 1 || version > NEWEST) {
            throw new Damaged("RDB version " + version + " is newer than rsc knows (up to " + NEWEST + ")");
        }
        while (true) {
            long at = in.position;
            int op = in.u8();
            switch (op) {
                case 0xFF -> {
                    return end();
                }
                case 0xFE -> in.length();                                   // SELECTDB
                case 0xFB -> { in.length(); in.length(); }                  // RESIZEDB
                case 0xFA -> { in.string(); in.string(); }                  // AUX
                case 0xF9 -> in.u8();                                       // FREQ
                case 0xF8 -> in.length();                                   // IDLE
                case 0xFD -> { in.skip(4); expiring++; }                    // EXPIRETIME
                case 0xFC -> { in.skip(8); expiring++; }                    // EXPIRETIME_MS
                case 0xF7 -> { in.length(); in.length(); in.length(); moduleValue(); }   // MODULE_AUX
                case 0xF5 -> in.string();                                   // FUNCTION2
                case 0xF4 -> { in.length(); in.length(); in.length(); }     // SLOT_INFO (7.4)
                default -> {
                    in.string();
                    value(op, at);
                    keys++;
                }
            }
        }
    }

    /** After the end marker: the CRC-64 of everything before it (RDB 5 and later), 0 when Redis was told not to. */
    private String end() throws IOException {
        if (version < 5) {
            return "none (RDB version " + version + ")";
        }
        long computed = in.crc.value();
        byte[] b = in.raw(8);
        long stored = 0;
        for (int i = 7; i >= 0; i--) {
            stored = (stored << 8) | (b[i] & 0xff);
        }
        if (stored == 0) {
            return "off (written with rdbchecksum no)";
        }
        if (stored != computed) {
            throw new Damaged(String.format("its CRC-64 is %016x but its content gives %016x (damaged)", stored, computed));
        }
        return "verified";
    }

    private void value(int type, long at) throws IOException {
        switch (type) {
            case 0, 9, 10, 11, 12, 13, 16, 17, 20 -> in.string();          // a string, or one encoded blob
            case 1, 2, 14 -> repeat(in.length(), 1);                        // list, set, quicklist: strings
            case 4 -> repeat(in.length(), 2);                               // hash: field, value
            case 3 -> {                                                     // zset: member, double as text
                for (long n = in.length(); n > 0; n--) {
                    in.string();
                    int len = in.u8();
                    if (len < 253) {
                        in.skip(len);
                    }
                }
            }
            case 5 -> {                                                     // zset2: member, binary double
                for (long n = in.length(); n > 0; n--) {
                    in.string();
                    in.skip(8);
                }
            }
            case 18 -> {                                                    // quicklist2: container, node
                for (long n = in.length(); n > 0; n--) {
                    in.length();
                    in.string();
                }
            }
            case 7 -> { in.length(); moduleValue(); }
            case 15, 19, 21 -> stream(type);
            default -> throw new Damaged("unknown value type " + type + " at byte " + at
                    + (type > 21 && type < 0xF4 ? " (from a Redis newer than rsc knows, or damaged)" : " (damaged)"));
        }
    }

    private void repeat(long n, int stringsEach) throws IOException {
        for (long i = 0; i < n * stringsEach; i++) {
            in.string();
        }
    }

    /** A module's self-describing value (module API v2): typed fields up to an end opcode. */
    private void moduleValue() throws IOException {
        while (true) {
            long op = in.length();
            switch ((int) op) {
                case 0 -> {
                    return;
                }
                case 1, 2 -> in.length();
                case 3 -> in.skip(4);
                case 4 -> in.skip(8);
                case 5 -> in.string();
                default -> throw new Damaged("unknown module field type " + op + " at byte " + in.position);
            }
        }
    }

    private void stream(int type) throws IOException {
        repeat(in.length(), 2);                                            // node keys and listpacks
        int ids = type >= 19 ? 8 : 3;                                      // length, last id (+ first, max deleted, added)
        for (int i = 0; i < ids; i++) {
            in.length();
        }
        for (long groups = in.length(); groups > 0; groups--) {
            in.string();
            in.length();
            in.length();
            if (type >= 19) {
                in.length();
            }
            for (long pel = in.length(); pel > 0; pel--) {
                in.skip(16 + 8);
                in.length();
            }
            for (long consumers = in.length(); consumers > 0; consumers--) {
                in.string();
                in.skip(type >= 21 ? 16 : 8);
                for (long pel = in.length(); pel > 0; pel--) {
                    in.skip(16);
                }
            }
        }
    }

    /** A structural fault found while walking. */
    private static final class Damaged extends IOException {
        Damaged(String message) {
            super(message);
        }
    }

    /** The file's bytes, counted and summed into the CRC as they are read. */
    private static final class Source {
        private final InputStream in;
        private final Crc64 crc = new Crc64();
        private final byte[] scratch = new byte[8192];
        private long position;

        Source(InputStream in) {
            this.in = in;
        }

        int u8() throws IOException {
            int b = in.read();
            if (b < 0) {
                throw new EOFException();
            }
            crc.update(b);
            position++;
            return b;
        }

        byte[] bytes(int n) throws IOException {
            byte[] b = raw(n);
            crc.update(b, 0, n);
            return b;
        }

        /** Read without summing (the checksum itself). */
        byte[] raw(int n) throws IOException {
            byte[] b = in.readNBytes(n);
            if (b.length < n) {
                throw new EOFException();
            }
            position += n;
            return b;
        }

        void skip(long n) throws IOException {
            if (n < 0) {
                throw new Damaged("a length beyond 2^63 before byte " + position);
            }
            while (n > 0) {
                int chunk = (int) Math.min(n, scratch.length);
                int got = in.readNBytes(scratch, 0, chunk);
                if (got < chunk) {
                    throw new EOFException();
                }
                crc.update(scratch, 0, got);
                position += got;
                n -= got;
            }
        }

        /**
         * A length, unsigned (a stream group's unknown entries-read is written as 2^64-1); an encoded-string marker
         * here is damage.
         */
        long length() throws IOException {
            int b = u8();
            if (b >> 6 == 3) {
                throw new Damaged("a length expected at byte " + (position - 1) + " is a string encoding");
            }
            return lengthAfter(b);
        }

        /** The length that starts with {@code b} (not the special, encoded form). */
        private long lengthAfter(int b) throws IOException {
            return switch (b >> 6) {
                case 0 -> b & 0x3F;
                case 1 -> ((b & 0x3F) << 8) | u8();
                case 2 -> {
                    if (b == 0x80) {
                        yield bigEndian(4);
                    }
                    if (b == 0x81) {
                        yield bigEndian(8);
                    }
                    throw new Damaged("an unknown length encoding " + b + " at byte " + (position - 1));
                }
                default -> throw new IllegalStateException("an encoded string is not a length");
            };
        }

        private long bigEndian(int n) throws IOException {
            long v = 0;
            for (byte x : bytes(n)) {
                v = (v << 8) | (x & 0xff);
            }
            return v;
        }

        /** Skips a string: plain, an integer, or LZF-compressed. */
        void string() throws IOException {
            int b = u8();
            if (b >> 6 != 3) {
                long n = lengthAfter(b);
                if (n < 0) {
                    throw new Damaged("a string longer than 2^63 bytes at byte " + position);
                }
                skip(n);
                return;
            }
            switch (b & 0x3F) {
                case 0 -> skip(1);
                case 1 -> skip(2);
                case 2 -> skip(4);
                case 3 -> {
                    long compressed = length();
                    length();
                    skip(compressed);
                }
                default -> throw new Damaged("an unknown string encoding " + (b & 0x3F) + " at byte " + (position - 1));
            }
        }
    }
}

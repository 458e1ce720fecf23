package rsc.redis;

/**
 * The CRC-64 Redis ends an RDB file with ({@code crc64.c}: the Jones polynomial, reflected, initial value 0, no final
 * xor; "123456789" gives {@code 0xe9c6d914c4b8d9ca}), so rsc can tell a whole backup from a damaged one.
 */
final class Crc64 {

    private static final long POLY_REFLECTED = 0x95ac9329ac4bc9b5L;
    private static final long[] TABLE = new long[256];

    static {
        for (int i = 0; i < 256; i++) {
            long c = i;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ POLY_REFLECTED : c >>> 1;
            }
            TABLE[i] = c;
        }
    }

    private long crc;

    void update(byte[] b, int off, int len) {
        long c = crc;
        for (int i = off; i < off + len; i++) {
            c = TABLE[(int) ((c ^ b[i]) & 0xff)] ^ (c >>> 8);
        }
        crc = c;
    }

    void update(int b) {
        crc = TABLE[(int) ((crc ^ b) & 0xff)] ^ (crc >>> 8);
    }

    long value() {
        return crc;
    }
}

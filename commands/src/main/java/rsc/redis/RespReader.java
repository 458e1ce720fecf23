package rsc.redis;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads RESP2 replies: simple strings and bulk strings as {@link String}, integers as {@link Long}, arrays as
 * {@link List}, nil as {@code null}, errors as {@link RespError} values (the caller decides whether they fail).
 */
final class RespReader {

    private final InputStream in;
    private final boolean typedStatus;

    /** @param in buffered: the reader reads one byte at a time while it looks for line ends */
    RespReader(InputStream in) {
        this(in, false);
    }

    /** @param typedStatus simple strings as {@link RespStatus}, so a caller can tell {@code +OK} from a bulk "OK" */
    RespReader(InputStream in, boolean typedStatus) {
        this.in = in;
        this.typedStatus = typedStatus;
    }

    /** The next reply; an {@link EOFException} when the server closed, a {@link ProtocolException} on garbage. */
    Object read() throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new EOFException("the server closed the connection");
        }
        String line = line();
        return switch (type) {
            case '+' -> typedStatus ? new RespStatus(line) : line;
            case '-' -> new RespError(line);
            case ':' -> number(line);
            case '$' -> bulk((int) number(line));
            case '*' -> array((int) number(line));
            default -> throw new ProtocolException("not a RESP2 reply (starts with byte " + type + ")");
        };
    }

    private String bulk(int length) throws IOException {
        if (length < 0) {
            return null;
        }
        byte[] b = in.readNBytes(length);
        if (b.length < length) {
            throw new EOFException("the server closed the connection inside a reply");
        }
        if (!line().isEmpty()) {
            throw new ProtocolException("a bulk string longer than its announced " + length + " bytes");
        }
        return new String(b, StandardCharsets.UTF_8);
    }

    private List<Object> array(int size) throws IOException {
        if (size < 0) {
            return null;
        }
        List<Object> out = new ArrayList<>(Math.min(size, 1024));
        for (int i = 0; i < size; i++) {
            out.add(read());
        }
        return out;
    }

    private static long number(String line) throws ProtocolException {
        try {
            return Long.parseLong(line);
        } catch (NumberFormatException e) {
            throw new ProtocolException("'" + (line.length() > 40 ? line.substring(0, 40) + "..." : line)
                    + "' is not a RESP2 number");
        }
    }

    /** Up to CRLF (not included). */
    private String line() throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(32);
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("the server closed the connection inside a reply");
            }
            if (c == '\r') {
                int lf = in.read();
                if (lf != '\n') {
                    throw new ProtocolException("a RESP2 line not ended by CRLF");
                }
                return bytes.toString(StandardCharsets.UTF_8);
            }
            bytes.write(c);
        }
    }
}

package rsc.redis;

import rsc.error.CancelledException;
import rsc.error.RscException;
import rsc.model.Endpoint;
import rsc.model.Secret;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * Takes an RDB snapshot of a node over the replication stream, as {@code redis-cli --rdb} does ({@code sendSync} and
 * {@code getRDB} in redis-cli.c): {@code AUTH}, {@code REPLCONF rdb-only 1} (Redis 7.0; an older node refuses it and
 * streams its replication feed after the snapshot, which is simply not read), {@code REPLCONF capa eof} (so a node with
 * diskless sync sends from memory and leaves no dump file behind), {@code SYNC}; then newlines as keep-alives while
 * the node prepares, and either {@code $<length>} and that many bytes or {@code $EOF:<40-byte mark>} and bytes up to
 * the mark. Needs nothing but the node's port, so it works for a node on any machine the console reaches.
 */
public final class RdbDownload {

    /**
     * @param bytes    the snapshot's length
     * @param diskless sent from memory (the {@code $EOF:} form), not from a dump file the node wrote
     * @param rdbOnly  the node took {@code REPLCONF rdb-only} (it closes after the snapshot)
     */
    public record Transfer(long bytes, boolean diskless, boolean rdbOnly) {
    }

    private static final int MARK = 40;

    private RdbDownload() {
    }

    /**
     * Writes the node's snapshot to {@code out}, telling {@code received} the bytes so far after each read. A
     * {@link CancelledException} when the thread is interrupted, one-line {@link RscException}s otherwise.
     */
    public static Transfer fetch(Endpoint reach, Optional<Secret> password, OutputStream out, LongConsumer received,
                                 Duration connectTimeout, Duration idle) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(reach.host(), reach.port()), (int) connectTimeout.toMillis());
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(new PatientInput(socket, idle, reach.toString()), 64 * 1024);
            RespReader replies = new RespReader(in);
            OutputStream to = socket.getOutputStream();
            if (password.isPresent()) {
                Object r = ask(to, replies, List.of("AUTH", password.get().reveal()));
                if (r instanceof RespError e) {
                    throw new RscException(reach + " refused the group's password: " + e.getMessage());
                }
            }
            boolean rdbOnly = !(ask(to, replies, List.of("REPLCONF", "rdb-only", "1")) instanceof RespError);
            ask(to, replies, List.of("REPLCONF", "capa", "eof"));
            to.write(RespConnection.encode(List.of(List.of("SYNC"))));
            to.flush();
            String header = header(in);
            if (header.startsWith("-")) {
                throw new RscException(reach + " refused SYNC: " + header.substring(1));
            }
            if (header.startsWith("$EOF:") && header.length() >= 5 + MARK) {
                byte[] mark = header.substring(5, 5 + MARK).getBytes(StandardCharsets.US_ASCII);
                return new Transfer(untilMark(in, out, mark, received), true, rdbOnly);
            }
            if (!header.startsWith("$")) {
                throw new RscException(reach + " answered SYNC with '" + printable(header) + "', not a snapshot");
            }
            long length = parseLength(reach, header);
            copy(in, out, length, received);
            return new Transfer(length, false, rdbOnly);
        } catch (PatientInput.Interrupted e) {
            Thread.currentThread().interrupt();
            throw new CancelledException("backup cancelled");
        } catch (EOFException e) {
            throw new RscException(reach + " closed the connection before the snapshot was complete");
        } catch (IOException e) {
            throw new RscException("snapshot from " + reach + " failed: " + e.getMessage());
        }
    }

    private static Object ask(OutputStream to, RespReader replies, List<String> command) throws IOException {
        to.write(RespConnection.encode(List.of(command)));
        to.flush();
        return replies.read();
    }

    /** The line after SYNC, skipping the newlines a node sends as keep-alives while it prepares the snapshot. */
    private static String header(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException();
            }
            if (c == '\n') {
                if (line.size() > 0) {
                    break;
                }
                continue;
            }
            if (line.size() > 256) {
                break;
            }
            line.write(c);
        }
        String s = line.toString(StandardCharsets.US_ASCII);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    private static long parseLength(Endpoint reach, String header) {
        try {
            long n = Long.parseLong(header.substring(1).trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new RscException(reach + " announced a snapshot of '" + printable(header) + "' bytes");
        }
    }

    private static void copy(InputStream in, OutputStream out, long length, LongConsumer received) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long done = 0;
        while (done < length) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, length - done));
            if (n < 0) {
                throw new EOFException();
            }
            out.write(buf, 0, n);
            done += n;
            received.accept(done);
        }
    }

    /** Copies up to the end mark (never writing it), holding back the last bytes read in case they begin it. */
    private static long untilMark(InputStream in, OutputStream out, byte[] mark, LongConsumer received) throws IOException {
        byte[] buf = new byte[64 * 1024 + MARK];
        int held = 0;
        long written = 0;
        while (true) {
            int n = in.read(buf, held, buf.length - held);
            if (n < 0) {
                throw new EOFException();
            }
            int total = held + n;
            int at = indexOf(buf, total, mark);
            if (at >= 0) {
                out.write(buf, 0, at);
                return written + at;
            }
            int keep = Math.min(MARK - 1, total);
            out.write(buf, 0, total - keep);
            written += total - keep;
            System.arraycopy(buf, total - keep, buf, 0, keep);
            held = keep;
            received.accept(written);
        }
    }

    static int indexOf(byte[] buf, int length, byte[] mark) {
        outer:
        for (int i = 0; i + mark.length <= length; i++) {
            for (int k = 0; k < mark.length; k++) {
                if (buf[i + k] != mark[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static String printable(String s) {
        String t = s.length() > 60 ? s.substring(0, 60) + "..." : s;
        return t.replaceAll("[^\\x20-\\x7e]", "?");
    }
}

package rsc.redis;

import rsc.model.Secret;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One blocking RESP2 connection on a plain {@link Socket}: what a one-shot needs to read a few facts without
 * bringing up Lettuce and Netty. Connecting is bounded by the connect timeout and every pipeline by the read timeout
 * (a deadline for all its replies, not per byte), so it never hangs. Not thread-safe; {@link PlainReads} serialises.
 */
final class RespConnection implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final BufferedInputStream buffered;
    private final RespReader reader;
    private final Deadline deadline;
    private final long readTimeoutNanos;

    private RespConnection(Socket socket, long readTimeoutNanos, boolean typedStatus) throws IOException {
        this.socket = socket;
        this.readTimeoutNanos = readTimeoutNanos;
        this.out = socket.getOutputStream();
        this.deadline = new Deadline(socket);
        this.buffered = new BufferedInputStream(deadline, 16 * 1024);
        this.reader = new RespReader(buffered, typedStatus);
    }

    /** Connects and, when there is a password, authenticates ({@code AUTH}; RESP2, so no {@code HELLO}). */
    static RespConnection open(InetSocketAddress address, Optional<Secret> password, Duration connectTimeout,
                               Duration readTimeout) throws IOException {
        return open(address, password, connectTimeout, readTimeout, false);
    }

    /** @param typedStatus simple-string replies ({@code +OK}) come back as {@link RespStatus}, told apart from bulk strings */
    static RespConnection open(InetSocketAddress address, Optional<Secret> password, Duration connectTimeout,
                               Duration readTimeout, boolean typedStatus) throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(address, (int) connectTimeout.toMillis());
            RespConnection c = new RespConnection(s, readTimeout.toNanos(), typedStatus);
            if (password.isPresent()) {
                Object reply = c.pipeline(List.of(List.of("AUTH", password.get().reveal()))).get(0);
                if (reply instanceof RespError e) {
                    throw e;
                }
            }
            return c;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /**
     * Sends every command in one write and reads their replies in order: one round trip for all of them. Error
     * replies come back as {@link RespError} values; a {@link SocketTimeoutException} when the replies take longer
     * than the read timeout (the connection is then unusable).
     */
    List<Object> pipeline(List<List<String>> commands) throws IOException {
        send(commands);
        deadline.start(readTimeoutNanos);
        List<Object> replies = new ArrayList<>(commands.size());
        for (int i = 0; i < commands.size(); i++) {
            replies.add(reader.read());
        }
        return replies;
    }

    /** Sends commands in one write without reading their replies. */
    void send(List<List<String>> commands) throws IOException {
        out.write(encode(commands));
        out.flush();
    }

    /** Commands as RESP2 arrays of bulk strings, in one buffer. */
    static byte[] encode(List<List<String>> commands) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(64 * commands.size());
        for (List<String> words : commands) {
            buf.writeBytes(("*" + words.size() + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (String w : words) {
                byte[] b = w.getBytes(StandardCharsets.UTF_8);
                buf.writeBytes(("$" + b.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                buf.writeBytes(b);
                buf.writeBytes(new byte[]{'\r', '\n'});
            }
        }
        return buf.toByteArray();
    }

    /**
     * Waits up to {@code wait} for the next reply to begin, consuming nothing: false when none began (the connection
     * stays usable, so a caller can look at the clock or its interrupt flag and wait again).
     */
    boolean replyBegins(Duration wait) throws IOException {
        deadline.start(Math.max(1_000_000L, wait.toNanos()));
        buffered.mark(1);
        try {
            if (buffered.read() < 0) {
                throw new java.io.EOFException("the server closed the connection");
            }
        } catch (SocketTimeoutException e) {
            return false;
        }
        buffered.reset();
        return true;
    }

    /** The next reply, read within the read timeout (once {@link #replyBegins} said one began). */
    Object next() throws IOException {
        deadline.start(readTimeoutNanos);
        return reader.read();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing: nothing left to do
        }
    }

    /** The socket's input, each read bounded by what is left of the pipeline's deadline. */
    private static final class Deadline extends FilterInputStream {
        private final Socket socket;
        private long until;

        Deadline(Socket socket) throws IOException {
            super(socket.getInputStream());
            this.socket = socket;
        }

        void start(long nanos) {
            until = System.nanoTime() + nanos;
        }

        private void arm() throws IOException {
            long left = until - System.nanoTime();
            if (left <= 0) {
                throw new SocketTimeoutException("read timed out");
            }
            socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
        }

        @Override
        public int read() throws IOException {
            arm();
            return super.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            arm();
            return super.read(b, off, len);
        }
    }
}

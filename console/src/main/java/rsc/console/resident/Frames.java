package rsc.console.resident;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The answer's wire format, read by the launcher one line at a time with bash's {@code read}: every line starts with
 * a tag byte. {@code a} accepted, {@code d} declined (the launcher runs its own JVM), {@code o}/{@code e} a line of
 * stdout/stderr, {@code O}/{@code E} a last piece of stdout/stderr without a newline, {@code x} the exit status.
 * Writes from both streams interleave whole lines, in the order the command made them.
 */
public final class Frames {

    private final OutputStream socket;

    public Frames(OutputStream socket) {
        this.socket = socket;
    }

    /** One tagged line. */
    public synchronized void line(char tag, String text) throws IOException {
        socket.write(tag);
        socket.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        socket.write('\n');
        socket.flush();
    }

    private synchronized void line(char tag, byte[] bytes, int length) throws IOException {
        socket.write(tag);
        socket.write(bytes, 0, length);
        socket.write('\n');
    }

    private synchronized void flush() throws IOException {
        socket.flush();
    }

    /** A stream whose complete lines become frames tagged {@code tag} (and its last piece, the upper-case tag). */
    public OutputStream stream(char tag) {
        return new OutputStream() {
            private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

            @Override
            public synchronized void write(int b) throws IOException {
                if (b == '\n') {
                    line(tag, pending.toByteArray(), pending.size());
                    pending.reset();
                } else {
                    pending.write(b);
                }
            }

            @Override
            public synchronized void write(byte[] b, int off, int len) throws IOException {
                int from = off;
                for (int i = off; i < off + len; i++) {
                    if (b[i] == '\n') {
                        pending.write(b, from, i - from);
                        line(tag, pending.toByteArray(), pending.size());
                        pending.reset();
                        from = i + 1;
                    }
                }
                pending.write(b, from, off + len - from);
            }

            @Override
            public synchronized void flush() throws IOException {
                Frames.this.flush();
            }

            @Override
            public synchronized void close() throws IOException {
                if (pending.size() > 0) {
                    line(Character.toUpperCase(tag), pending.toByteArray(), pending.size());
                    pending.reset();
                }
                Frames.this.flush();
            }
        };
    }
}

package rsc.redis;

import java.io.FilterInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * A socket's input that waits in short slices, so a long transfer stays interruptible (Ctrl-C interrupts the
 * command's thread; a blocked socket read would not notice) and fails when the peer is silent for too long.
 */
final class PatientInput extends FilterInputStream {

    /** Thrown when the reading thread was interrupted: the caller turns it into a cancellation. */
    static final class Interrupted extends IOException {
        Interrupted() {
            super("interrupted");
        }
    }

    private static final int SLICE_MS = 200;
    private final long idleNanos;
    private final String peer;
    private long lastByte = System.nanoTime();

    PatientInput(Socket socket, Duration idle, String peer) throws IOException {
        super(socket.getInputStream());
        socket.setSoTimeout(SLICE_MS);
        this.idleNanos = idle.toNanos();
        this.peer = peer;
    }

    @Override
    public int read() throws IOException {
        interrupted();
        while (true) {
            try {
                int b = super.read();
                lastByte = System.nanoTime();
                return b;
            } catch (SocketTimeoutException e) {
                waited();
            }
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        interrupted();
        while (true) {
            try {
                int n = super.read(b, off, len);
                lastByte = System.nanoTime();
                return n;
            } catch (SocketTimeoutException e) {
                waited();
            }
        }
    }

    private static void interrupted() throws Interrupted {
        if (Thread.currentThread().isInterrupted()) {
            throw new Interrupted();
        }
    }

    private void waited() throws IOException {
        interrupted();
        if (System.nanoTime() - lastByte > idleNanos) {
            throw new SocketTimeoutException(peer + " sent nothing for " + idleNanos / 1_000_000_000L + " s");
        }
    }
}

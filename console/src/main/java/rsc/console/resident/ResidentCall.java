package rsc.console.resident;

import rsc.console.Main;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One connection from the launcher: checks the token and the key, then runs the one-shot exactly as a fresh JVM
 * would ({@link Main#run}), streaming its lines back. When the launcher goes away (Ctrl-C), the command is
 * interrupted, as Ctrl-C interrupts a command in the console.
 */
final class ResidentCall {

    /**
     * A launcher has this long in all to send its request (a total, not per read: a byte every few seconds does not
     * keep a connection, and a thread, forever).
     */
    static final Duration REQUEST_DEADLINE = Duration.ofSeconds(5);

    private final ResidentServer server;
    private final SocketChannel socket;

    ResidentCall(ResidentServer server, SocketChannel socket) {
        this.server = server;
        this.socket = socket;
    }

    void handle() {
        ScheduledFuture<?> cutOff;
        try {
            cutOff = server.deadlines().schedule(() -> ResidentServer.closeQuietly(socket),
                    REQUEST_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            ResidentServer.closeQuietly(socket);   // stopping
            return;
        }
        try (socket) {
            InputStream in = new BufferedInputStream(input(socket));
            Frames frames = new Frames(new BufferedOutputStream(output(socket)));
            ResidentRequest request = ResidentRequest.read(in);
            if (!MessageDigest.isEqual(request.token().getBytes(StandardCharsets.UTF_8), server.token().getBytes(StandardCharsets.UTF_8))) {
                frames.line('d', "wrong token");
                return;
            }
            if (!request.key().equals(server.key())) {
                frames.line('d', "this resident console serves another directory, build or environment");
                return;
            }
            if (!cutOff.cancel(false)) {
                return;   // the deadline passed as the request completed: the connection is closed
            }
            switch (request.verb()) {
                case "status" -> answer(frames, server.describe());
                case "stop" -> {
                    answer(frames, "resident console stopped (pid " + ProcessHandle.current().pid() + ")");
                    server.stop();
                }
                case "run" -> run(request, in, frames);
                default -> frames.line('d', "unknown verb");
            }
        } catch (IOException e) {
            // a launcher that went away, was too slow, or was not one: nothing to answer
        } finally {
            cutOff.cancel(false);
        }
    }

    /** Reads the channel directly (Channels.newInputStream would hold a lock that blocks writes meanwhile). */
    private static InputStream input(SocketChannel ch) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return len == 0 ? 0 : ch.read(ByteBuffer.wrap(b, off, len));
            }
        };
    }

    /**
     * Writes the channel directly. An interrupt the command left on its own thread would close the channel on the
     * next write (NIO's rule), so it is set aside while writing and put back after.
     */
    private static OutputStream output(SocketChannel ch) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[]{(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                boolean interrupted = Thread.interrupted();
                try {
                    ByteBuffer buf = ByteBuffer.wrap(b, off, len);
                    while (buf.hasRemaining()) {
                        ch.write(buf);
                    }
                } finally {
                    if (interrupted) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
    }

    private static void answer(Frames frames, String line) throws IOException {
        frames.line('a', "");
        frames.line('o', line);
        frames.line('x', "0");
    }

    private void run(ResidentRequest request, InputStream in, Frames frames) throws IOException {
        Optional<String> refusal = server.policy().refusal(request.args());
        if (refusal.isPresent()) {
            frames.line('d', refusal.get());
            return;
        }
        frames.line('a', "");
        server.begin();
        AtomicBoolean done = new AtomicBoolean();
        Thread worker = Thread.currentThread();
        Thread watcher = new Thread(() -> {
            try {
                while (in.read() >= 0) {
                    // the launcher sends nothing more; end of stream means it is gone
                }
            } catch (IOException ignored) {
                // gone as well
            }
            // the launcher is gone: interrupt the command, and again while it runs (a command starting up, a
            // connect in progress, may swallow one interrupt)
            while (!done.get()) {
                worker.interrupt();
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, worker.getName() + "-watch");
        watcher.setDaemon(true);
        watcher.start();
        int status;
        try (PrintStream out = new PrintStream(frames.stream('o'), false, StandardCharsets.UTF_8);
             PrintStream err = new PrintStream(frames.stream('e'), false, StandardCharsets.UTF_8)) {
            status = Main.run(request.args().toArray(String[]::new), InputStream.nullInputStream(), out, err,
                    server.kept());
        } finally {
            done.set(true);
            Thread.interrupted();
            server.end();
        }
        frames.line('x', Integer.toString(status));
    }
}

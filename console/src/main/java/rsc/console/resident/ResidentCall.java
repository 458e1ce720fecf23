package rsc.console.resident;

import rsc.console.Main;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One connection from the launcher: checks the token and the key, then runs the one-shot exactly as a fresh JVM
 * would ({@link Main#run}), streaming its lines back. When the launcher goes away (Ctrl-C), the command is
 * interrupted, as Ctrl-C interrupts a command in the console.
 */
final class ResidentCall {

    /** A launcher has this long to send its request. */
    private static final int REQUEST_TIMEOUT_MS = 5000;

    private final ResidentServer server;
    private final Socket socket;

    ResidentCall(ResidentServer server, Socket socket) {
        this.server = server;
        this.socket = socket;
    }

    void handle() {
        try (socket) {
            socket.setSoTimeout(REQUEST_TIMEOUT_MS);
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            Frames frames = new Frames(new BufferedOutputStream(socket.getOutputStream()));
            ResidentRequest request = ResidentRequest.read(in);
            if (!MessageDigest.isEqual(request.token().getBytes(StandardCharsets.UTF_8), server.token().getBytes(StandardCharsets.UTF_8))) {
                frames.line('d', "wrong token");
                return;
            }
            if (!request.key().equals(server.key())) {
                frames.line('d', "this resident console serves another directory, build or environment");
                return;
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
            // a launcher that went away or was not one: nothing to answer
        }
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
        socket.setSoTimeout(0);
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
            status = Main.run(request.args().toArray(String[]::new), InputStream.nullInputStream(), out, err);
        } finally {
            done.set(true);
            Thread.interrupted();
            server.end();
        }
        frames.line('x', Integer.toString(status));
    }
}

package rsc.redis;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * A loopback server that reads RESP commands and answers each with the raw bytes a script returns (null: say
 * nothing, to test timeouts). It records every command it read, per connection, so tests can assert what was sent.
 */
final class FakeRedis implements AutoCloseable {

    private final ServerSocket server;
    private final Function<List<String>, String> script;
    private final boolean closeAfterFirstReply;
    final List<List<String>> received = Collections.synchronizedList(new ArrayList<>());
    volatile int connections;

    FakeRedis(Function<List<String>, String> script) throws IOException {
        this(script, false);
    }

    FakeRedis(Function<List<String>, String> script, boolean closeAfterFirstReply) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.script = script;
        this.closeAfterFirstReply = closeAfterFirstReply;
        Thread t = new Thread(this::serve, "fake-redis");
        t.setDaemon(true);
        t.start();
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
    }

    int port() {
        return server.getLocalPort();
    }

    private void serve() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                connections++;
                Thread t = new Thread(() -> answer(s), "fake-redis-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void answer(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            while (true) {
                List<String> command = readCommand(in);
                if (command == null) {
                    return;
                }
                received.add(command);
                String reply = script.apply(command);
                if (reply != null) {
                    out.write(reply.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    if (closeAfterFirstReply) {
                        return;
                    }
                }
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    private static List<String> readCommand(InputStream in) throws IOException {
        String head = line(in);
        if (head == null) {
            return null;
        }
        int n = Integer.parseInt(head.substring(1));
        List<String> words = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int len = Integer.parseInt(line(in).substring(1));
            words.add(new String(in.readNBytes(len), StandardCharsets.UTF_8));
            line(in);
        }
        return words;
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\r') {
                in.read();
                return b.toString(StandardCharsets.UTF_8);
            }
            b.write(c);
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}

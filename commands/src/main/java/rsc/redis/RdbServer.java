package rsc.redis;

import rsc.error.RscException;
import rsc.model.Secret;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A one-shot master that serves one RDB file: a node told {@code REPLICAOF} this listener does its usual handshake
 * ({@code PING}, {@code AUTH} with its {@code masterauth}, {@code REPLCONF}, {@code PSYNC}) and gets
 * {@code +FULLRESYNC <id> 0} and the file as its snapshot. Nothing else is needed on the node's machine, so it works
 * wherever the node runs as long as it can connect back. When the group has a password, only a node that gives it
 * gets the file. It serves the file once: a second request means the node could not load it and retried.
 */
public final class RdbServer implements AutoCloseable {

    private final ServerSocket server;
    private final Path file;
    private final long size;
    private final Optional<Secret> password;
    private final String replicationId = HexFormat.of().formatHex(randomBytes(20));
    private final AtomicLong sent = new AtomicLong(-1);
    private final AtomicInteger requests = new AtomicInteger();
    private final List<Socket> open = new ArrayList<>();
    private final Thread thread;
    private volatile String refused = "";
    private volatile boolean closed;

    private RdbServer(ServerSocket server, Path file, Optional<Secret> password) throws IOException {
        this.server = server;
        this.file = file;
        this.size = Files.size(file);
        this.password = password;
        this.thread = new Thread(this::serve, "rsc-rdb-server-" + server.getLocalPort());
        thread.setDaemon(true);
    }

    /** Listens on an ephemeral port of {@code bindHost} and starts serving. */
    public static RdbServer start(String bindHost, Optional<Secret> password, Path file) {
        try {
            ServerSocket s = new ServerSocket();
            s.bind(new InetSocketAddress(InetAddress.getByName(bindHost), 0), 4);
            s.setSoTimeout(200);
            RdbServer r = new RdbServer(s, file, password);
            r.thread.start();
            return r;
        } catch (IOException e) {
            throw new RscException("cannot listen on " + bindHost + " to serve " + file + ": " + e.getMessage());
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Bytes of the file sent to a node, or -1 while none took it whole. */
    public long sent() {
        return sent.get();
    }

    /** Snapshot requests so far: more than one means the node failed to load the file and asked again. */
    public int requests() {
        return requests.get();
    }

    /** Why the last connection was turned away (a wrong password), or empty. */
    public String refused() {
        return refused;
    }

    private void serve() {
        while (!closed) {
            try {
                Socket s = server.accept();
                synchronized (open) {
                    open.add(s);
                }
                try {
                    handle(s);
                } catch (IOException | RuntimeException e) {
                    s.close();      // a client that broke off or spoke something else; the served one stays open
                    throw e;
                }
            } catch (SocketTimeoutException e) {
                // look at closed again
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    refused = e.getMessage() == null ? e.toString() : e.getMessage();
                }
            }
        }
    }

    /** One connection's handshake; the connection stays open once served (closing it would make the node resync). */
    private void handle(Socket s) throws IOException {
        s.setTcpNoDelay(true);
        InputStream in = new BufferedInputStream(new PatientInput(s, Duration.ofSeconds(10), "a node"));
        RespReader reader = new RespReader(in);
        OutputStream out = s.getOutputStream();
        boolean authed = password.isEmpty();
        while (!closed) {
            Object request = reader.read();
            List<?> words = request instanceof List<?> l ? l : List.of(String.valueOf(request).split(" "));
            String name = words.isEmpty() ? "" : String.valueOf(words.get(0)).toUpperCase(java.util.Locale.ROOT);
            switch (name) {
                case "PING" -> reply(out, "+PONG");
                case "AUTH" -> {
                    authed = password.isEmpty() || matches(String.valueOf(words.get(words.size() - 1)));
                    reply(out, authed ? "+OK" : "-WRONGPASS invalid username-password pair or user is disabled.");
                    if (!authed) {
                        refused = s.getRemoteSocketAddress() + " gave a wrong password";
                    }
                }
                case "REPLCONF" -> reply(out, "+OK");
                case "PSYNC", "SYNC" -> {
                    if (!authed) {
                        reply(out, "-NOAUTH Authentication required.");
                        refused = s.getRemoteSocketAddress() + " asked for the snapshot without the group's password";
                        s.close();
                        return;
                    }
                    if (requests.incrementAndGet() > 1) {
                        reply(out, "-ERR rsc serves this file once");
                        s.close();
                        return;
                    }
                    send(out, name.equals("PSYNC"));
                    return;
                }
                default -> reply(out, "-ERR rsc only serves a snapshot here");
            }
        }
    }

    private boolean matches(String given) {
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                password.orElseThrow().reveal().getBytes(StandardCharsets.UTF_8));
    }

    private void send(OutputStream out, boolean psync) throws IOException {
        String head = (psync ? "+FULLRESYNC " + replicationId + " 0\r\n" : "") + "$" + size + "\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        try (InputStream f = Files.newInputStream(file)) {
            long n = f.transferTo(out);
            out.flush();
            sent.set(n);
        }
    }

    private static void reply(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Stops listening and closes every connection (the node, by then its own master, no longer uses it). */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing
        }
        synchronized (open) {
            for (Socket s : open) {
                try {
                    s.close();
                } catch (IOException e) {
                    // closing
                }
            }
        }
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

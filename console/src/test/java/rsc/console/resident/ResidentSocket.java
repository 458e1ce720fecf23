package rsc.console.resident;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** A test's own connection to a resident console, at the address its endpoint file names (a port or DIR/socket). */
final class ResidentSocket implements AutoCloseable {

    private final SocketChannel channel;

    private ResidentSocket(SocketChannel channel) {
        this.channel = channel;
    }

    static ResidentSocket connect(Path endpoint) throws IOException {
        String first = Files.readString(endpoint).trim().split(" ")[0];
        SocketAddress address = first.matches("\\d+")
                ? new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(first))
                : UnixDomainSocketAddress.of(endpoint.resolveSibling("socket"));
        return new ResidentSocket(SocketChannel.open(address));
    }

    /** Sends the fields NUL-terminated, as the launcher does. */
    void send(String... fields) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (String f : fields) {
            b.writeBytes(f.getBytes(StandardCharsets.UTF_8));
            b.write(0);
        }
        sendRaw(b.toByteArray());
    }

    void sendRaw(byte[] bytes) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
    }

    /** Sends one byte; false when the other end has closed the connection. */
    boolean write(byte b) throws IOException {
        try {
            sendRaw(new byte[]{b});
            channel.configureBlocking(false);
            int n = channel.read(ByteBuffer.allocate(1));
            channel.configureBlocking(true);
            return n >= 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** Everything the other end says until it closes, or null when it has not closed within {@code limit}. */
    String readToEnd(Duration limit) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(4096);
        channel.configureBlocking(false);
        while (System.nanoTime() < deadline) {
            int n;
            try {
                n = channel.read(buf);
            } catch (IOException e) {
                n = -1;   // reset: closed as well
            }
            if (n < 0) {
                return out.toString(StandardCharsets.UTF_8);
            }
            if (n == 0) {
                Thread.sleep(20);
            }
            out.write(buf.array(), 0, buf.position());
            buf.clear();
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}

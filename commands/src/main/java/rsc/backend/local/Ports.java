package rsc.backend.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Port checks on this machine: is it free to bind, does a Redis answer there. */
final class Ports {

    private Ports() {
    }

    static boolean free(String host, int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true); // as redis-server binds: a port in TIME_WAIT is free to it
            s.bind(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (IOException e) {
            return false;
        }
        try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress(host, port), 100);
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** True when something at host:port answers {@code PING} like Redis (PONG, or NOAUTH when it has a password). */
    static boolean answersPing(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 200);
            s.setSoTimeout(500);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[64];
            int n = in.read(buf);
            if (n <= 0) {
                return false;
            }
            String reply = new String(buf, 0, n, StandardCharsets.US_ASCII);
            return reply.startsWith("+PONG") || reply.startsWith("-NOAUTH") || reply.startsWith("-LOADING");
        } catch (IOException e) {
            return false;
        }
    }
}

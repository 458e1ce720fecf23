package rsc.backend.local;

import rsc.model.Endpoint;
import rsc.redis.Ping;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

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

    /**
     * Whether the port is free, or becomes so within {@code ms}: a node killed a moment ago may still hold it while its
     * last threads exit (its main thread is already a zombie, so it counts as stopped).
     */
    static boolean freeWithin(String host, int port, long ms) {
        long deadline = System.nanoTime() + ms * 1_000_000L;
        while (!free(host, port)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new rsc.error.CancelledException();
            }
        }
        return true;
    }

    /** True when a Redis answers at host:port ({@link Ping}: the same rule the Swarm backend waits on). */
    static boolean answersPing(String host, int port) {
        return Ping.answers(new Endpoint(host, port), Duration.ofMillis(200), Duration.ofMillis(500));
    }
}

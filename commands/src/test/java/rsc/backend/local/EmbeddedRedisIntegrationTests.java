package rsc.backend.local;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import rsc.testing.LocalTestBed;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fallback for a machine without redis-server on PATH: the binary inside the embedded-redis jar runs. */
@Tag("integration")
class EmbeddedRedisIntegrationTests {

    @Test
    void theEmbeddedBinaryIsUnpackedOnceAndServes() throws Exception {
        Path state = Files.createTempDirectory("rsc-embedded");
        Process server = null;
        try {
            Path binary = RedisBinary.embedded(state);
            assertTrue(Files.isExecutable(binary), binary + " is executable");
            assertTrue(binary.startsWith(state), "unpacked under the state directory");
            Process v = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
            String version = new String(v.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(v.waitFor(10, TimeUnit.SECONDS) && version.contains("v=6.2"), version);
            assertTrue(RedisBinary.embedded(state).equals(binary), "a second call reuses the unpacked copy");

            int port = LocalTestBed.freePorts(1);
            server = new ProcessBuilder(binary.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--dir", state.toString()).redirectErrorStream(true)
                    .redirectOutput(state.resolve("out.log").toFile()).start();
            long deadline = System.nanoTime() + 10_000_000_000L;
            boolean pong = false;
            while (!pong && System.nanoTime() < deadline) {
                pong = Ports.answersPing("127.0.0.1", port);
                Thread.sleep(50);
            }
            assertTrue(pong, "the embedded redis-server answers PING on " + port);
        } finally {
            if (server != null) {
                server.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            try (Stream<Path> s = Files.walk(state)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // best effort
            }
        }
    }
}

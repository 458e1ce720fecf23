package rsc.console;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.Selector;
import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Naming the platform's selector provider (so that the first channel skips a search of forty jars) must give the very
 * provider the search ends with, one that works, and must leave a provider the operator named alone. The first is
 * checked in a JVM of its own, as the provider is chosen once per JVM: this JDK refusing the name would fail it there.
 */
class PlatformSelectorUnitTests {

    /** Names the default, then opens a selector and a pipe and passes a byte through them; prints the provider. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            PlatformSelector.nameDefault();
            String named = System.getProperty(PlatformSelector.PROPERTY, "(none)");
            try (Selector selector = Selector.open()) {
                Pipe pipe = Pipe.open();
                pipe.sink().write(ByteBuffer.wrap(new byte[]{42}));
                ByteBuffer one = ByteBuffer.allocate(1);
                pipe.source().read(one);
                pipe.sink().close();
                pipe.source().close();
                System.out.println(named + " " + SelectorProvider.provider().getClass().getName() + " "
                        + selector.isOpen() + " " + one.get(0));
            }
        }
    }

    @Test
    void theNamedProviderIsThePlatformsOwnAndWorks() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                Probe.class.getName())).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the probe JVM did not end");
        assertEquals(0, p.exitValue(), out);
        if (System.getProperty("os.name").equals("Linux")) {
            assertEquals(PlatformSelector.LINUX_DEFAULT + " " + PlatformSelector.LINUX_DEFAULT + " true 42", out);
        } else {
            assertTrue(out.startsWith("(none) ") && out.endsWith(" true 42"), out);
        }
    }

    @Test
    void aProviderTheOperatorNamedIsKept() {
        String before = System.getProperty(PlatformSelector.PROPERTY);
        try {
            System.setProperty(PlatformSelector.PROPERTY, "org.example.TheirProvider");
            PlatformSelector.nameDefault();
            assertEquals("org.example.TheirProvider", System.getProperty(PlatformSelector.PROPERTY));
        } finally {
            if (before == null) {
                System.clearProperty(PlatformSelector.PROPERTY);
            } else {
                System.setProperty(PlatformSelector.PROPERTY, before);
            }
        }
    }
}

package rsc.console;

/**
 * The first NIO channel a JVM opens (the Docker engine's Unix socket, a Redis connection) asks
 * {@code SelectorProvider.provider()}, which, unless a system property names the provider, looks for one as a service
 * on the class path: it opens every one of rsc's forty jars (signed Bouncy Castle ones, whose manifests list every
 * class, among them) to find none, then takes the platform's default. That search cost a Swarm one-shot about 35 ms
 * of its critical path. Naming the platform's own provider, the one the search ends with, skips it.
 *
 * <p>Only on Linux, only where the JDK has that class, and never over a provider the operator named.
 */
public final class PlatformSelector {

    static final String PROPERTY = "java.nio.channels.spi.SelectorProvider";
    static final String LINUX_DEFAULT = "sun.nio.ch.EPollSelectorProvider";

    private PlatformSelector() {
    }

    /** Names the platform's default provider, before anything opens a channel. */
    public static void nameDefault() {
        if (System.getProperty(PROPERTY) != null || !System.getProperty("os.name", "").equals("Linux")) {
            return;
        }
        try {
            Class.forName(LINUX_DEFAULT, false, null);   // the boot loader's, not initialised
        } catch (ClassNotFoundException | LinkageError e) {
            return;   // another JDK: the search it would make anyway
        }
        System.setProperty(PROPERTY, LINUX_DEFAULT);
    }
}

package rsc.console;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;

/**
 * The class-data archive's training run ({@code ./rsc}'s {@code archive()}): one JVM, so that one archive holds both
 * backends' classes. It runs the launcher's local commands against its throwaway group, then Swarm's read-only
 * one-shots ({@code status}, {@code sentinel status}, {@code nodes}, {@code services}, {@code ps}) against the engine
 * that {@code DOCKER_HOST} names: without them a Swarm one-shot in its own JVM loaded its engine, listing and address
 * classes from the jars. Where no swarm manager answers, that part fails at once and loads less; nothing is printed
 * either way.
 *
 * <p>Usage: {@code ArchiveTraining GROUP LOCAL_COMMANDS}.
 */
public final class ArchiveTraining {

    private static final String SWARM_READS = "status; sentinel status; nodes; services; ps";
    private static final Duration SWARM_LIMIT = Duration.ofSeconds(20);

    private ArchiveTraining() {
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: ArchiveTraining GROUP LOCAL_COMMANDS (the ./rsc launcher runs it)");
            System.exit(2);
        }
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
        Main.run(new String[]{"--backend", "local", "--keep-going", "--group", args[0], "-c", args[1]},
                InputStream.nullInputStream(), sink, sink);
        // bounded: an engine that does not answer must not cost the archive (it is written when this JVM exits)
        Thread swarm = new Thread(() -> Main.run(new String[]{"--backend", "swarm", "--keep-going", "-c", SWARM_READS},
                InputStream.nullInputStream(), sink, sink), "rsc-archive-swarm");
        swarm.setDaemon(true);
        swarm.start();
        try {
            swarm.join(SWARM_LIMIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.exit(0);
    }
}

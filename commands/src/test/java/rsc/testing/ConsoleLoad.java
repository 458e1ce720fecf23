package rsc.testing;

import rsc.session.Engine;
import rsc.session.Outcome;

import java.io.File;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many consoles at once, as several operators during an incident: each console (an {@link Engine}) runs its lines
 * round-robin on its own thread. Records the slowest call per line, the first answer per line and every problem an
 * operator would see (a call over 10 s, an answer of more than one line, an internal error, no answer at all), and
 * checks that the process's threads and open files stay flat across a run.
 */
public final class ConsoleLoad {

    /** One console: its engine, a label for its lines in reports, and the lines it runs. */
    public record Console(Engine engine, String label, List<String> lines) {
    }

    /** What a run saw. */
    public record Result(int calls, double seconds, Map<String, Long> slowestMs, Map<String, String> answers,
                         List<String> problems) {
        public String answer(String labelledLine) {
            return answers.getOrDefault(labelledLine, "");
        }
    }

    /** Threads by name (digits folded) and open files, to compare before and after. */
    public record Resources(Map<String, Long> threads, long openFiles) {

        public static Resources now() {
            Map<String, Long> t = Thread.getAllStackTraces().keySet().stream().map(x -> x.getName().replaceAll("\\d+", "#"))
                    .collect(Collectors.groupingBy(n -> n, TreeMap::new, Collectors.counting()));
            File[] fds = new File("/proc/self/fd").listFiles();
            return new Resources(t, fds == null ? -1 : fds.length);
        }

        public long total() {
            return threads.values().stream().mapToLong(Long::longValue).sum();
        }

        long io() {
            return threads.getOrDefault("rsc-io-#", 0L);
        }

        /** Lettuce's event executors: a fixed-size pool per client's resources, its threads started on first use. */
        long lettuceEvents() {
            return threads.getOrDefault("lettuce-eventExecutorLoop-#-#", 0L);
        }

        /**
         * Flat: each console's I/O pool (a cached pool: idle threads are reused, then expire) may grow by a thread when
         * fan-outs overlap more than in the warm-up; Lettuce's event executors may start up to their pool's size
         * (max(3, cores)) in each console, as timeouts on frozen nodes first use them (seen on several swarm nodes, where
         * a freeze lasts longer); no other thread may appear, and open files stay within 10.
         */
        public void assertFlat(Resources after, int consoles) {
            assertTrue(after.io() <= io() + consoles, "I/O pool threads " + io() + " -> " + after.io());
            long pool = Math.max(3, Runtime.getRuntime().availableProcessors());
            assertTrue(after.lettuceEvents() <= Math.max(lettuceEvents(), (consoles + 1) * pool),
                    "Lettuce event executor threads " + lettuceEvents() + " -> " + after.lettuceEvents());
            assertTrue(after.total() - after.io() - after.lettuceEvents() <= total() - io() - lettuceEvents() + 2,
                    "threads " + threads + " -> " + after.threads);
            assertTrue(after.openFiles <= openFiles + 10, "open files " + openFiles + " -> " + after.openFiles);
        }
    }

    private ConsoleLoad() {
    }

    /** Every console runs {@code each} calls; returns once all are done (fails if a console hangs for 15 min). */
    public static Result run(List<Console> consoles, int each) throws InterruptedException {
        Map<String, Long> slowest = new ConcurrentHashMap<>();
        Map<String, String> answers = new ConcurrentHashMap<>();
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger made = new AtomicInteger();
        long t0 = System.nanoTime();
        List<Thread> workers = new ArrayList<>();
        for (Console c : consoles) {
            Thread w = new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    String line = c.lines().get(i % c.lines().size());
                    String key = c.label().isEmpty() ? line : c.label() + " " + line;
                    long c0 = System.nanoTime();
                    Outcome o = c.engine().execute(line);
                    long ms = (System.nanoTime() - c0) / 1_000_000;
                    made.incrementAndGet();
                    slowest.merge(key, ms, Math::max);
                    if (ms >= 10_000) {
                        problems.add("'" + key + "' took " + ms + " ms");
                    }
                    if (o.error() != null) {
                        String m = String.valueOf(o.error().getMessage());
                        if (m.contains("\n") || m.startsWith("internal error")) {
                            problems.add("'" + key + "': " + m);
                        }
                        answers.putIfAbsent(key, "error: " + m);
                    } else if (o.result() == null) {
                        problems.add("'" + key + "' gave neither a result nor an error");
                    } else {
                        answers.putIfAbsent(key, o.result().failed() ? "failed result" : "result");
                    }
                }
            }, "console-load-" + workers.size());
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) {
            w.join(TimeUnit.MINUTES.toMillis(15));
            assertFalse(w.isAlive(), w.getName() + " hangs");
        }
        assertEquals(each * consoles.size(), made.get(), "every call made");
        return new Result(made.get(), (System.nanoTime() - t0) / 1e9, new TreeMap<>(slowest), new TreeMap<>(answers),
                List.copyOf(problems));
    }
}

package rsc.console.bench;

import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import rsc.backend.Backends;
import rsc.ops.GroupHealth;
import rsc.catalog.Catalog;
import rsc.console.CommandLineParser;
import rsc.console.ConsoleReader;
import rsc.console.PlainInteraction;
import rsc.session.Engine;
import rsc.session.Outcome;
import rsc.backend.Settings;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-process half of {@code make bench} (scripts/bench.sh drives it; this is a benchmark, not a test): figures
 * that live inside one console session, measured through the same classes the console uses.
 *
 * <pre>
 *   session  GROUP|- RUNS [follow]  in-session 'sentinel status GROUP' and 'status GROUP' ('-': sentinel status of
 *                                   every group); 'follow' keeps the background topology refresh running, as the REPL does
 *   complete RUNS                   TAB through JLine's Completer: live values vs command names (no values)
 *   failover GROUP RUNS S1,S2,...   'failover GROUP': gap from +switch-master to return, vs Sentinel's own switch time
 *   idle                            sleeps (the JVM floor for the memory figure)
 * </pre>
 * Prints one JSON object of raw samples in milliseconds on stdout; the script takes medians and percentiles.
 */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "session" -> session(args[1], Integer.parseInt(args[2]), args.length > 3 && args[3].equals("follow"));
            case "complete" -> complete(Integer.parseInt(args[1]));
            case "failover" -> failover(args[1], Integer.parseInt(args[2]), args[3].split(","));
            case "idle" -> Thread.sleep(Long.MAX_VALUE);
            default -> throw new IllegalArgumentException(args[0]);
        }
        System.exit(0);
    }

    private static Engine engine() {
        PrintStream devNull = new PrintStream(OutputStream.nullOutputStream());
        return new Engine(Settings.fromEnvironment(), new PlainInteraction(devNull, devNull), Catalog.table(), Backends.factory(), GroupHealth::probe);
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static Outcome run(Engine e, String line) {
        Outcome o = e.execute(line);
        if (o.error() != null) {
            throw new IllegalStateException(line + ": " + o.error().getMessage());
        }
        return o;
    }

    private static List<Double> time(Engine e, String line, int runs) {
        for (int i = 0; i < 5; i++) {
            run(e, line); // warm-up: connections open, classes loaded, C1 compiled (the console's state after a few commands)
        }
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            run(e, line);
            out.add(ms(System.nanoTime() - t0));
        }
        return out;
    }

    private static void session(String group, int runs, boolean follow) throws Exception {
        try (Engine e = engine()) {
            if (follow) {
                e.session().topology().startBackground(Duration.ofSeconds(2)); // as the REPL does
                e.session().topology().refreshNow();
            }
            String sentinel = group.equals("-") ? "sentinel status" : "sentinel status " + group;
            String status = group.equals("-") ? "status" : "status " + group;
            if (group.equals("-")) {
                status = "status " + e.session().backend().groups().get(0);
            }
            System.out.println("{\"sentinel_status\": " + json(time(e, sentinel, runs)) + ", \"status\": "
                    + json(time(e, status, runs)) + "}");
        }
    }

    private static void complete(int runs) throws Exception {
        try (Engine e = engine();
             Terminal terminal = new DumbTerminal("bench", "ansi", new ByteArrayInputStream(new byte[0]),
                     new ByteArrayOutputStream(), StandardCharsets.UTF_8)) {
            e.session().topology().refreshNow(); // the snapshot the background refresh keeps
            LineReader reader = ConsoleReader.build(terminal, e.table(), e.session().topology()::snapshot, null);
            Completer completer = ((LineReaderImpl) reader).getCompleter();
            Parser parser = CommandLineParser.create();
            String[] live = {"sentinel status ", "use ", "redis --node ", "status ", "scale slaves 2 --group ", "redis GE"};
            String[] names = {"", "sen", "sentinel "};
            List<Double> liveMs = new ArrayList<>();
            List<Double> namesMs = new ArrayList<>();
            AtomicLong sink = new AtomicLong();
            for (int warm = 0; warm < 2; warm++) {
                for (int i = 0; i < runs; i++) {
                    String l = live[i % live.length];
                    String n = names[i % names.length];
                    liveMs.add(completeOnce(reader, completer, parser, l, sink));
                    namesMs.add(completeOnce(reader, completer, parser, n, sink));
                }
                if (warm == 0) {
                    liveMs.clear();
                    namesMs.clear();
                }
            }
            if (sink.get() == 0) {
                throw new IllegalStateException("no candidates: is the group there?");
            }
            System.out.println("{\"live\": " + json(liveMs) + ", \"names\": " + json(namesMs) + "}");
        }
    }

    private static double completeOnce(LineReader reader, Completer completer, Parser parser, String line, AtomicLong sink) {
        long t0 = System.nanoTime();
        ParsedLine parsed = parser.parse(line, line.length(), Parser.ParseContext.COMPLETE);
        List<Candidate> candidates = new ArrayList<>();
        completer.complete(reader, parsed, candidates);
        long t = System.nanoTime() - t0;
        sink.addAndGet(candidates.size());
        return ms(t);
    }

    /**
     * Alternates: odd runs are the baseline (SENTINEL FAILOVER sent by hand, time until +switch-master); even runs are
     * rsc's 'failover'. For rsc: the gap from the first +switch-master (heard by this harness's own subscriptions) to
     * the command's return, and to the moment every sentinel names the new master with no failover in progress.
     */
    private static void failover(String group, int runs, String[] sentinelPorts) throws Exception {
        List<Double> sentinelSwitch = new ArrayList<>();
        List<Double> toReturn = new ArrayList<>();
        List<Double> toAgree = new ArrayList<>();
        List<Double> agreeToReturn = new ArrayList<>();
        List<Double> commandTotal = new ArrayList<>();
        try (Engine e = engine()) {
            run(e, "status " + group); // the console has been used before: connections open
            for (int i = 0; i < 2 * runs; i++) {
                settle(group, sentinelPorts);
                List<Subscriber> subs = new ArrayList<>();
                for (String p : sentinelPorts) {
                    subs.add(new Subscriber(Integer.parseInt(p), group));
                }
                long t0 = System.nanoTime();
                boolean byHand = i % 2 == 0;
                if (byHand) {
                    try (Resp r = new Resp(Integer.parseInt(sentinelPorts[0]))) {
                        r.call("SENTINEL", "FAILOVER", group);
                    }
                    long sw = Subscriber.first(subs, 30_000);
                    sentinelSwitch.add(ms(sw - t0));
                } else {
                    // beside the command: as soon as +switch-master is heard, poll until every sentinel agrees
                    java.util.concurrent.CompletableFuture<Long> agreed = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                        try {
                            Subscriber.first(subs, 60_000);
                            return agreement(group, sentinelPorts);
                        } catch (Exception x) {
                            throw new IllegalStateException(x);
                        }
                    });
                    run(e, "failover " + group);
                    long back = System.nanoTime();
                    long sw = Subscriber.first(subs, 1000);
                    toReturn.add(ms(back - sw));
                    toAgree.add(ms(agreed.get() - sw));
                    agreeToReturn.add(ms(back - agreed.get()));
                    commandTotal.add(ms(back - t0));
                }
                subs.forEach(Subscriber::close);
            }
            settle(group, sentinelPorts);
        }
        System.out.println("{\"sentinel_switch\": " + json(sentinelSwitch) + ", \"switch_to_return\": " + json(toReturn)
                + ", \"switch_to_agreement\": " + json(toAgree) + ", \"agreement_to_return\": " + json(agreeToReturn)
                + ", \"command\": " + json(commandTotal) + "}");
    }

    /** When every sentinel names the same master with no failover in progress (polled every 5 ms). */
    private static long agreement(String group, String[] ports) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (agree(group, ports)) {
                return System.nanoTime();
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("sentinels of " + group + " do not agree after the failover");
    }

    private static boolean agree(String group, String[] ports) throws IOException {
        String master = null;
        for (String p : ports) {
            try (Resp r = new Resp(Integer.parseInt(p))) {
                List<?> m = (List<?>) r.call("SENTINEL", "MASTER", group);
                String ip = null;
                String port = null;
                String flags = null;
                for (int k = 0; k + 1 < m.size(); k += 2) {
                    switch (String.valueOf(m.get(k))) {
                        case "ip" -> ip = String.valueOf(m.get(k + 1));
                        case "port" -> port = String.valueOf(m.get(k + 1));
                        case "flags" -> flags = String.valueOf(m.get(k + 1));
                        default -> { }
                    }
                }
                String here = ip + ":" + port;
                if (flags == null || flags.contains("failover") || (master != null && !master.equals(here))) {
                    return false;
                }
                master = here;
            }
        }
        return true;
    }

    /** Waits until the group can fail over again: agreement, and every sentinel lists 2+ replicas that are linked. */
    private static void settle(String group, String[] ports) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (agree(group, ports) && replicasOk(group, ports)) {
                Thread.sleep(1500); // sentinels refresh replica INFO every 10 s when calm; give the last one a moment
                if (agree(group, ports) && replicasOk(group, ports)) {
                    return;
                }
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("group " + group + " did not settle");
    }

    private static boolean replicasOk(String group, String[] ports) throws IOException {
        for (String p : ports) {
            try (Resp r = new Resp(Integer.parseInt(p))) {
                List<?> replicas = (List<?>) r.call("SENTINEL", "REPLICAS", group);
                int good = 0;
                for (Object o : replicas) {
                    List<?> kv = (List<?>) o;
                    String flags = "";
                    String link = "";
                    for (int k = 0; k + 1 < kv.size(); k += 2) {
                        if ("flags".equals(kv.get(k))) {
                            flags = String.valueOf(kv.get(k + 1));
                        }
                        if ("master-link-status".equals(kv.get(k))) {
                            link = String.valueOf(kv.get(k + 1));
                        }
                    }
                    if (flags.equals("slave") && link.equals("ok")) {
                        good++;
                    }
                }
                if (good < 2) {
                    return false;
                }
            }
        }
        return true;
    }

    static String json(List<Double> values) {
        StringJoiner j = new StringJoiner(", ", "[", "]");
        values.forEach(v -> j.add(String.format(Locale.ROOT, "%.3f", v)));
        return j.toString();
    }

    /** A tiny blocking RESP client for the harness's own look-ups (independent of rsc's Lettuce gateway). */
    static final class Resp implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;

        Resp(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(5000);
            socket.setTcpNoDelay(true);
            in = new java.io.BufferedInputStream(socket.getInputStream());
            String password = System.getenv("RSC_BENCH_PASSWORD"); // the group's (nodes and sentinels share it)
            if (password != null && !password.isEmpty()) {
                call("AUTH", password);
            }
        }

        void send(String... words) throws IOException {
            StringBuilder b = new StringBuilder("*").append(words.length).append("\r\n");
            for (String w : words) {
                b.append('$').append(w.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(w).append("\r\n");
            }
            socket.getOutputStream().write(b.toString().getBytes(StandardCharsets.UTF_8));
        }

        Object call(String... words) throws IOException {
            send(words);
            return read();
        }

        Object read() throws IOException {
            int type = in.read();
            String line = line();
            switch (type) {
                case '+', ':' -> {
                    return line;
                }
                case '-' -> throw new IOException(line);
                case '$' -> {
                    int n = Integer.parseInt(line);
                    if (n < 0) {
                        return null;
                    }
                    byte[] buf = in.readNBytes(n + 2);
                    return new String(buf, 0, n, StandardCharsets.UTF_8);
                }
                case '*' -> {
                    int n = Integer.parseInt(line);
                    List<Object> out = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        out.add(read());
                    }
                    return out;
                }
                default -> throw new IOException("unexpected reply type " + type);
            }
        }

        private String line() throws IOException {
            StringBuilder b = new StringBuilder();
            int c;
            while ((c = in.read()) != '\r') {
                if (c < 0) {
                    throw new IOException("closed");
                }
                b.append((char) c);
            }
            in.read();
            return b.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** Subscribes to +switch-master on one sentinel and notes when the group's switch arrives. */
    static final class Subscriber implements AutoCloseable {
        private final Resp resp;
        private volatile long at;

        Subscriber(int port, String group) throws IOException {
            resp = new Resp(port);
            resp.socket.setSoTimeout(0);
            resp.call("SUBSCRIBE", "+switch-master");
            Thread t = new Thread(() -> {
                try {
                    while (true) {
                        List<?> msg = (List<?>) resp.read();
                        if (msg.size() == 3 && String.valueOf(msg.get(2)).startsWith(group + " ")) {
                            at = System.nanoTime();
                            return;
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // closed
                }
            }, "bench-sub-" + port);
            t.setDaemon(true);
            t.start();
        }

        /** The earliest +switch-master any subscriber heard. */
        static long first(List<Subscriber> subs, long timeoutMs) throws InterruptedException {
            long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
            while (System.nanoTime() < deadline) {
                long best = Long.MAX_VALUE;
                for (Subscriber s : subs) {
                    if (s.at != 0) {
                        best = Math.min(best, s.at);
                    }
                }
                if (best != Long.MAX_VALUE) {
                    return best;
                }
                Thread.sleep(1);
            }
            throw new IllegalStateException("no +switch-master within " + timeoutMs + " ms");
        }

        @Override
        public void close() {
            try {
                resp.close();
            } catch (IOException e) {
                // gone already
            }
        }
    }
}

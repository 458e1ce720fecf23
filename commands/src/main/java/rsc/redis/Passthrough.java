package rsc.redis;

import rsc.error.RscException;
import rsc.model.Endpoint;
import rsc.model.Secret;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The operator's own Redis client behind {@code redis}, as redis-cli is one: a plain RESP2 connection per target
 * (the master of a group, or a named node) that no operation of rsc ever uses, so {@code MULTI}, {@code SELECT},
 * {@code SUBSCRIBE}, {@code MONITOR} and blocking commands behave as in redis-cli and cannot disturb a failover or a
 * status read. The selected database sticks to the target: a connection opened again (the master moved, the
 * connection was closed after a stream or a Ctrl-C) selects it again; an open transaction is lost then, and said so.
 */
public final class Passthrough implements AutoCloseable {

    /** How a command's reply arrives. */
    public enum Kind {
        /** one reply, soon */
        PLAIN,
        /** one reply, whenever the server has one ({@code BLPOP}, {@code WAIT}, {@code XREAD BLOCK}) */
        BLOCKING,
        /** replies until the client stops listening ({@code SUBSCRIBE}, {@code MONITOR}) */
        STREAMING;

        private static final List<String> BLOCKING_NAMES = List.of("BLPOP", "BRPOP", "BRPOPLPUSH", "BLMOVE", "BLMPOP",
                "BZPOPMIN", "BZPOPMAX", "BZMPOP", "WAIT", "WAITAOF");
        private static final List<String> STREAMING_NAMES = List.of("SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE", "MONITOR");

        /** The kind of a command as typed. */
        public static Kind of(List<String> words) {
            String name = words.get(0).toUpperCase(Locale.ROOT);
            if (STREAMING_NAMES.contains(name)) {
                return STREAMING;
            }
            if (BLOCKING_NAMES.contains(name)) {
                return BLOCKING;
            }
            if ((name.equals("XREAD") || name.equals("XREADGROUP"))
                    && words.stream().anyMatch(w -> w.equalsIgnoreCase("BLOCK"))) {
                return BLOCKING;
            }
            if (name.equals("DEBUG") && words.size() > 1 && words.get(1).equalsIgnoreCase("SLEEP")) {
                return BLOCKING;
            }
            return PLAIN;
        }

        /**
         * The timeout a blocking command carries itself ({@code BLPOP k 5}, {@code WAIT 1 5000}, {@code XREAD BLOCK
         * 2000}); empty when it has none or it is 0 (block for ever): such a command needs {@code --for} in scripts.
         */
        public static Optional<Duration> ownTimeout(List<String> words) {
            String name = words.get(0).toUpperCase(Locale.ROOT);
            String last = words.get(words.size() - 1);
            try {
                Duration d = switch (name) {
                    case "BLPOP", "BRPOP", "BRPOPLPUSH", "BLMOVE", "BZPOPMIN", "BZPOPMAX" ->
                            seconds(last);
                    case "BLMPOP", "BZMPOP" -> words.size() > 1 ? seconds(words.get(1)) : null;
                    case "WAIT", "WAITAOF" -> Duration.ofMillis(Long.parseLong(last));
                    case "DEBUG" -> words.size() > 2 ? seconds(words.get(2)) : null;
                    case "XREAD", "XREADGROUP" -> {
                        int at = -1;
                        for (int i = 0; i < words.size() - 1; i++) {
                            if (words.get(i).equalsIgnoreCase("BLOCK")) {
                                at = i + 1;
                            }
                        }
                        yield at < 0 ? null : Duration.ofMillis(Long.parseLong(words.get(at)));
                    }
                    default -> null;
                };
                return d == null || d.isZero() || d.isNegative() ? Optional.empty() : Optional.of(d);
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }

        private static Duration seconds(String text) {
            return Duration.ofMillis(Math.round(Double.parseDouble(text) * 1000));
        }
    }

    /**
     * Where a command goes.
     *
     * @param key      what the connection and its state belong to ({@code master of G} or a node's name)
     * @param endpoint the announced address it reaches now
     * @param label    how messages name it
     * @param group    the group whose master it follows, or null for a named node
     */
    public record Target(String key, Endpoint endpoint, String label, String group) {

        public static Target masterOf(String group, Endpoint endpoint, String label) {
            return new Target("master of " + group, endpoint, label, group);
        }

        public static Target node(String name, Endpoint endpoint) {
            return new Target("node " + name, endpoint, name, null);
        }
    }

    /**
     * What a command produced.
     *
     * @param value    the reply of a plain or blocking command (a {@link RespError} value for an error reply); null
     *                 when nothing came back (a stream, or a wait that ran out)
     * @param streamed how many replies a streaming command handed to its consumer
     * @param notes    what the operator should know besides the reply (a lost transaction, a stopped stream)
     */
    public record Reply(Object value, int streamed, List<String> notes) {
    }

    /**
     * How long a plain command's reply is awaited unless {@code --for} says otherwise: rsc's one command timeout, so a
     * frozen node answers "no reply" in seconds, as every other command of rsc does.
     */
    public static final Duration PLAIN_LIMIT = Reads.COMMAND_TIMEOUT;
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration REPLY_READ = Duration.ofSeconds(30);

    /** One target's connection and the state the operator gave it. */
    private static final class Slot {
        Endpoint endpoint;
        volatile RespConnection connection;
        int db;
        Integer queuedDb;
        boolean multi;
    }

    private final Function<Endpoint, Endpoint> reachable;
    private final Function<Endpoint, Optional<Secret>> passwords;
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();

    public Passthrough(Function<Endpoint, Endpoint> reachable, Function<Endpoint, Optional<Secret>> passwords) {
        this.reachable = reachable;
        this.passwords = passwords;
    }

    /** What the prompt shows for the group's master, as redis-cli does: {@code [1]}, {@code (TX)}, or nothing. */
    public Optional<String> marker(String group) {
        Slot slot = slots.get("master of " + group);
        if (slot == null) {
            return Optional.empty();
        }
        String m = (slot.db != 0 ? "[" + slot.db + "]" : "") + (slot.multi ? "(TX)" : "");
        return m.isEmpty() ? Optional.empty() : Optional.of(m);
    }

    /**
     * Sends one command and waits for its reply, or hands a stream's replies to {@code streamed} until {@code limit}
     * runs out or the thread is interrupted (Ctrl-C: the normal end of a stream; for any other command an
     * {@link InterruptedException}).
     *
     * @param limit how long to wait or stream; empty: a plain command waits {@link #PLAIN_LIMIT}, the others until
     *              interrupted
     */
    public Reply call(Target target, List<String> words, Optional<Duration> limit, Consumer<Object> streamed)
            throws InterruptedException {
        if (words.get(0).equalsIgnoreCase("HELLO") && words.size() > 1 && !words.get(1).equals("2")
                && Character.isDigit(words.get(1).charAt(0))) {
            throw new RscException("the passthrough speaks RESP2, as redis-cli does unless told otherwise: HELLO "
                    + words.get(1) + " is not supported");
        }
        Slot slot = slots.computeIfAbsent(target.key(), k -> new Slot());
        synchronized (slot) {
            List<String> notes = new ArrayList<>();
            open(slot, target, notes);
            Kind kind = slot.multi ? Kind.PLAIN : Kind.of(words);
            try {
                slot.connection.send(List.of(words));
                if (kind == Kind.STREAMING) {
                    return stream(slot, target, limit, streamed, notes);
                }
                // a blocking command with a timeout of its own ends by itself: wait that long and rsc's command timeout
                long until = limit.or(() -> kind == Kind.PLAIN ? Optional.of(PLAIN_LIMIT)
                                : Kind.ownTimeout(words).map(d -> d.plus(PLAIN_LIMIT)))
                        .map(d -> System.nanoTime() + d.toNanos()).orElse(Long.MAX_VALUE);
                if (!await(slot, until)) {
                    drop(slot, target, notes);
                    if (limit.isEmpty()) {
                        throw new RscException("no reply from " + target.label() + " within " + seconds(PLAIN_LIMIT)
                                + " (is it frozen? 'redis --for 60s ...' waits longer)"
                                + String.join("", notes.stream().map(n -> "; " + n).toList()));
                    }
                    notes.add(0, "no reply from " + target.label() + " within " + seconds(limit.get()) + "; stopped waiting");
                    return new Reply(null, 0, notes);
                }
                Object reply = slot.connection.next();
                track(slot, target, words, reply, notes);
                return new Reply(reply, 0, notes);
            } catch (InterruptedException e) {
                drop(slot, target, notes);
                throw e;
            } catch (IOException e) {
                drop(slot, target, notes);
                throw new RscException("the passthrough's connection to " + target.label() + " failed: "
                        + e.getMessage() + String.join("; ", notes.stream().map(n -> " (" + n + ")").toList()));
            }
        }
    }

    private Reply stream(Slot slot, Target target, Optional<Duration> limit, Consumer<Object> streamed,
                         List<String> notes) throws IOException {
        long start = System.nanoTime();
        long until = limit.map(d -> start + d.toNanos()).orElse(Long.MAX_VALUE);
        int count = 0;
        String end;
        try {
            while (true) {
                if (await(slot, until)) {
                    streamed.accept(slot.connection.next());
                    count++;
                } else {
                    end = "stopped after " + seconds(limit.orElseThrow());
                    break;
                }
            }
        } catch (InterruptedException e) {
            end = "stopped after " + seconds(Duration.ofNanos(System.nanoTime() - start)) + " (Ctrl-C)";
        }
        // the connection is in subscriber or monitor mode: the next command gets a fresh one
        drop(slot, target, notes);
        notes.add(0, end);
        return new Reply(null, count, notes);
    }

    /** Waits for a reply to begin; false when {@code until} passed first; interrupted by Ctrl-C. */
    private static boolean await(Slot slot, long until) throws IOException, InterruptedException {
        while (true) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            long left = until - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            if (slot.connection.replyBegins(Duration.ofNanos(Math.min(left, POLL.toNanos())))) {
                return true;
            }
        }
    }

    /** Keeps what the command changed about the connection: its database, its transaction. */
    private static void track(Slot slot, Target target, List<String> words, Object reply, List<String> notes) {
        String name = words.get(0).toUpperCase(Locale.ROOT);
        boolean ok = reply instanceof RespStatus st && st.text().equals("OK");
        boolean queued = reply instanceof RespStatus st && st.text().equals("QUEUED");
        switch (name) {
            case "SELECT" -> {
                if (ok && words.size() > 1) {
                    slot.db = Integer.parseInt(words.get(1));
                } else if (queued && words.size() > 1) {
                    slot.queuedDb = Integer.valueOf(words.get(1));
                }
            }
            case "MULTI" -> slot.multi = slot.multi || ok;
            case "EXEC" -> {
                if (reply instanceof List<?> && slot.queuedDb != null) {
                    slot.db = slot.queuedDb;
                }
                slot.multi = false;
                slot.queuedDb = null;
            }
            case "DISCARD" -> {
                slot.multi = false;
                slot.queuedDb = null;
            }
            case "RESET" -> {
                slot.db = 0;
                slot.multi = false;
                slot.queuedDb = null;
            }
            case "QUIT" -> {
                slot.connection.close();
                slot.connection = null;
            }
            default -> {
            }
        }
    }

    /** Opens the target's connection when it has none or the target moved; selects its database again. */
    private void open(Slot slot, Target target, List<String> notes) {
        if (slot.connection != null && !target.endpoint().equals(slot.endpoint)) {
            drop(slot, target, notes);
        }
        if (slot.connection != null) {
            return;
        }
        Endpoint to = reachable.apply(target.endpoint());
        try {
            slot.connection = RespConnection.open(new InetSocketAddress(to.host(), to.port()), Optional.empty(),
                    Reads.CONNECT_TIMEOUT, REPLY_READ, true);
            slot.endpoint = target.endpoint();
            Optional<Secret> password = passwords.apply(target.endpoint());
            if (password.isPresent()) {
                Object r = setUp(slot, target, List.of("AUTH", password.get().reveal()));
                if (r instanceof RespError e) {
                    throw e;
                }
            }
            if (slot.db != 0) {
                Object r = setUp(slot, target, List.of("SELECT", String.valueOf(slot.db)));
                if (r instanceof RespError e) {
                    notes.add("could not select db " + slot.db + " again (" + e.text() + "): now in db 0");
                    slot.db = 0;
                }
            }
        } catch (IOException | RuntimeException e) {
            if (slot.connection != null) {
                slot.connection.close();
                slot.connection = null;
            }
            throw e instanceof RscException r ? r
                    : new RscException("cannot reach " + target.label() + " at " + to + ": " + e.getMessage());
        }
    }

    /** A command of the connection's own set-up, answered within rsc's command timeout (a frozen node never does). */
    private static Object setUp(Slot slot, Target target, List<String> words) throws IOException {
        slot.connection.send(List.of(words));
        if (!slot.connection.replyBegins(Reads.COMMAND_TIMEOUT)) {
            throw new RscException(target.label() + " did not answer " + words.get(0) + " within "
                    + seconds(Reads.COMMAND_TIMEOUT) + " (is it frozen?)");
        }
        return slot.connection.next();
    }

    /** Closes the target's connection; an open transaction dies with it, which the operator must hear. */
    private static void drop(Slot slot, Target target, List<String> notes) {
        if (slot.connection != null) {
            slot.connection.close();
            slot.connection = null;
        }
        if (slot.multi) {
            notes.add("the transaction (MULTI) on " + target.label() + " was discarded with its connection");
            slot.multi = false;
            slot.queuedDb = null;
        }
    }

    private static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    @Override
    public void close() {
        // not under the slots' locks: closing the socket is what ends a stream that holds one
        for (Slot slot : slots.values()) {
            RespConnection c = slot.connection;
            if (c != null) {
                c.close();
            }
        }
        slots.clear();
    }
}

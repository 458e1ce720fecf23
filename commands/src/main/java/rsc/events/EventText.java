package rsc.events;

import rsc.model.Endpoint;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An event as an operator reads it, above the prompt and in {@code events}: addresses ({@code 127.0.0.1 6379})
 * replaced by the names of the nodes there, a sentinel's run-id by its name where the timeline tells which sentinel
 * it is (dropped beside a named sentinel, shortened elsewhere), and {@code +switch-master} as {@code OLD -> NEW}.
 * {@code events --json} and {@code --export} keep the text as the sentinels published it beside this one.
 */
public final class EventText {

    private static final Pattern ADDRESS = Pattern.compile("(?<=^|\\s)([\\w.:-]+?)[ :](\\d{1,5})(?=\\s|$)");
    private static final Pattern RUN_ID = Pattern.compile("\\b([0-9a-f]{40})\\b(\\s+)?");
    private static final Pattern RUN_ID_AT = Pattern.compile("\\b([0-9a-f]{40}) ([\\w.:-]+) (\\d{1,5})(?=\\s|$)");

    private EventText() {
    }

    /** The line with node names: {@code g +sdown master g g-redis-1 (3/3 sentinels)}. */
    public static String line(Event e, Map<Endpoint, String> names) {
        return e.group() + " " + e.type() + " " + details(e, names, Map.of()) + " " + e.reportedBy();
    }

    /**
     * The event's details with node names: {@code g g-redis-1 -> g-redis-2} for a {@code +switch-master};
     * {@code runIds} names sentinels by run-id (see {@link #runIds}).
     */
    public static String details(Event e, Map<Endpoint, String> names, Map<String, String> runIds) {
        String text = named(e.text(), names, runIds);
        if (e.type().equals("+switch-master")) {
            String[] w = text.split(" ");
            if (w.length == 3) {
                text = w[0] + " " + w[1] + " -> " + w[2];
            }
        }
        return text;
    }

    /**
     * The sentinels' names by run-id, learned from events that give a run-id with its address
     * ({@code +sentinel}, {@code +config-update-from}), so {@code +vote-for-leader RUNID 1} can say who.
     */
    public static Map<String, String> runIds(Collection<Event> events, Map<Endpoint, String> names) {
        Map<String, String> out = new HashMap<>();
        for (Event e : events) {
            Matcher m = RUN_ID_AT.matcher(e.text());
            while (m.find()) {
                String name = names.get(new Endpoint(m.group(2), Integer.parseInt(m.group(3))));
                if (name != null) {
                    out.put(m.group(1), name);
                }
            }
        }
        return out;
    }

    static String named(String text, Map<Endpoint, String> names) {
        return named(text, names, Map.of());
    }

    private static String named(String text, Map<Endpoint, String> names, Map<String, String> runIds) {
        Matcher m = ADDRESS.matcher(text);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String name = names.get(new Endpoint(m.group(1), Integer.parseInt(m.group(2))));
            m.appendReplacement(b, Matcher.quoteReplacement(name == null ? m.group() : name));
        }
        m.appendTail(b);
        String out = b.toString();
        for (String name : names.values()) {
            // '+sdown slave 127.0.0.1:6379 127.0.0.1 6379 @ ...' names the replica twice
            out = out.replace(name + " " + name, name);
        }
        // a run-id followed by a sentinel we named says nothing more; else its sentinel's name, or its first 8 characters
        Matcher r = RUN_ID.matcher(out);
        StringBuilder c = new StringBuilder();
        while (r.find()) {
            String rest = out.substring(r.end());
            boolean named = names.values().stream().anyMatch(n -> rest.startsWith(n + " ") || rest.equals(n));
            String space = r.group(2) == null ? "" : " ";
            String known = runIds.get(r.group(1));
            r.appendReplacement(c, Matcher.quoteReplacement(named ? "" : (known != null ? known : r.group(1).substring(0, 8)) + space));
        }
        r.appendTail(c);
        return c.toString();
    }
}

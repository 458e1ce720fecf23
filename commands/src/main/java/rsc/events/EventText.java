package rsc.events;

import rsc.model.Endpoint;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An event as an operator reads it above the prompt: addresses ({@code 127.0.0.1 6379}) replaced by the names of
 * the nodes there, sentinel run-ids dropped beside a named sentinel (shortened elsewhere), and {@code +switch-master}
 * as {@code OLD -> NEW}. {@code events} and its export keep the text as the sentinels published it.
 */
public final class EventText {

    private static final Pattern ADDRESS = Pattern.compile("(?<=^|\\s)([\\w.:-]+?)[ :](\\d{1,5})(?=\\s|$)");
    private static final Pattern RUN_ID = Pattern.compile("\\b([0-9a-f]{40})\\b(\\s+)?");

    private EventText() {
    }

    /** The line with node names: {@code g +sdown master g g-redis-1 (3/3 sentinels)}. */
    public static String line(Event e, Map<Endpoint, String> names) {
        String text = named(e.text(), names);
        if (e.type().equals("+switch-master")) {
            String[] w = text.split(" ");
            if (w.length == 3) {
                text = w[0] + " " + w[1] + " -> " + w[2];
            }
        }
        String who = e.source().equals("sentinel") ? " (" + e.seenBy() + "/" + e.of() + " sentinels)" : " (" + e.source() + ")";
        return e.group() + " " + e.type() + " " + text + who;
    }

    static String named(String text, Map<Endpoint, String> names) {
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
        // a run-id followed by a sentinel we named says nothing more; elsewhere its first 8 characters tell it apart
        Matcher r = RUN_ID.matcher(out);
        StringBuilder c = new StringBuilder();
        while (r.find()) {
            String rest = out.substring(r.end());
            boolean named = names.values().stream().anyMatch(n -> rest.startsWith(n + " ") || rest.equals(n));
            r.appendReplacement(c, Matcher.quoteReplacement(named ? "" : r.group(1).substring(0, 8) + (r.group(2) == null ? "" : " ")));
        }
        r.appendTail(c);
        return c.toString();
    }
}

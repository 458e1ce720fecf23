package rsc.result;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Table rows as plain maps, lists, strings, numbers and booleans: the one shape both {@code --json} output and files
 * written for other programs ({@code events --export}) serialise, so they cannot drift apart. Instants become ISO-8601
 * text, {@link NodeRef}s objects, coloured cells their value; a table of a group gets {@code group} first in each row.
 */
public final class Plain {

    private Plain() {
    }

    /** Every row of the table as a map from column to plain value. */
    public static List<Map<String, Object>> rows(Table t) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (List<Object> row : t.rows()) {
            Map<String, Object> m = new LinkedHashMap<>();
            if (t.group() != null) {
                m.put("group", t.group());
            }
            for (int c = 0; c < t.columns().size(); c++) {
                m.put(t.columns().get(c), value(c < row.size() ? row.get(c) : null));
            }
            out.add(m);
        }
        return out;
    }

    /** One cell as a plain value. */
    public static Object value(Object cell) {
        Object v = cell instanceof Table.Cell c ? c.value() : cell;
        if (v instanceof Instant i) {
            return i.toString();
        }
        if (v instanceof Tally t) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("count", t.count());
            m.put("of", t.of());
            return m;
        }
        if (v instanceof NodeRef n) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("node", n.node());
            m.put("host", n.host());
            m.put("port", n.port());
            return m;
        }
        if (v == null || v instanceof Number || v instanceof Boolean || v instanceof String) {
            return v;
        }
        return String.valueOf(v);
    }
}

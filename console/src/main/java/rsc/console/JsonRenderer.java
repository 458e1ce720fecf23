package rsc.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import rsc.result.Block;
import rsc.result.CommandResult;
import rsc.result.Message;
import rsc.result.Table;
import rsc.session.HistoryFilter;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;

/**
 * One JSON document per command, for scripts and {@code jq}:
 * {@code {"command":..., "ok":..., "messages":[{"severity","text"}], "tables":{"TITLE":[{col: value}]}}}.
 * Numbers and booleans keep their type; untitled tables are keyed {@code table}, {@code table2}, ...
 */
public final class JsonRenderer {

    private final ObjectMapper mapper = new ObjectMapper();
    private final boolean pretty;

    /** {@code pretty} indents the document (for a person); otherwise it is one line (for pipes). */
    public JsonRenderer(boolean pretty) {
        this.pretty = pretty;
    }

    /** The document for one command line and what it produced. */
    public String render(String line, CommandResult result) {
        ObjectNode doc = mapper.createObjectNode();
        doc.put("command", HistoryFilter.redact(line == null ? "" : line.strip()));
        doc.put("ok", !result.failed());
        ArrayNode messages = doc.putArray("messages");
        ObjectNode tables = mapper.createObjectNode();
        int untitled = 0;
        for (Block block : result.blocks()) {
            if (block instanceof Message m) {
                messages.addObject()
                        .put("severity", m.severity().name().toLowerCase(Locale.ROOT))
                        .put("text", m.text());
            } else if (block instanceof Table t) {
                String key = t.title() == null || t.title().isBlank() ? "table" : t.title();
                if (key.equals("table")) {
                    untitled++;
                    key = untitled == 1 ? "table" : "table" + untitled;
                }
                String unique = key;
                for (int n = 2; tables.has(unique); n++) {
                    unique = key + n;
                }
                tables.set(unique, rows(t));
            }
        }
        doc.set("tables", tables);
        try {
            return pretty ? mapper.writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc)
                    : mapper.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    private ArrayNode rows(Table t) {
        ArrayNode rows = mapper.createArrayNode();
        List<String> columns = t.columns();
        for (List<Object> row : t.rows()) {
            ObjectNode o = rows.addObject();
            for (int c = 0; c < columns.size(); c++) {
                put(o, columns.get(c), c < row.size() ? row.get(c) : null);
            }
        }
        return rows;
    }

    private static void put(ObjectNode o, String key, Object cell) {
        Object v = cell instanceof Table.Cell c ? c.value() : cell;
        if (v == null) {
            o.putNull(key);
        } else if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            o.put(key, ((Number) v).intValue());
        } else if (v instanceof Long l) {
            o.put(key, l);
        } else if (v instanceof Double d) {
            o.put(key, d);
        } else if (v instanceof Float f) {
            o.put(key, f);
        } else if (v instanceof BigInteger bi) {
            o.put(key, bi);
        } else if (v instanceof BigDecimal bd) {
            o.put(key, bd);
        } else if (v instanceof Number n) {
            o.put(key, n.doubleValue());
        } else if (v instanceof Boolean b) {
            o.put(key, b);
        } else {
            o.put(key, String.valueOf(v));
        }
    }
}

package rsc.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import rsc.result.Block;
import rsc.result.CommandResult;
import rsc.result.Message;
import rsc.result.Plain;
import rsc.result.Table;
import rsc.session.HistoryFilter;

import java.util.List;
import java.util.Locale;

/**
 * One JSON document per invocation, for scripts and {@code jq}:
 * {@code {"command":..., "ok":..., "messages":[{"severity","text"}], "tables":{"KEY":[{col: value}]}}}, several
 * commands' documents inside {@code {"ok", "results":[...]}}. Cells are turned into plain values by {@link Plain}
 * (numbers stay numbers, a node is {@code {"node","host","port"}}, a time ISO-8601); untitled tables are keyed
 * {@code table}, {@code table2}, ...
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
        return write(document(line, result));
    }

    /**
     * One document for several commands (a script, {@code -c "a; b"}): {@code {"ok":..., "results":[...]}}, or the
     * only command's own document when there was one.
     */
    public String renderAll(List<ObjectNode> documents) {
        if (documents.size() == 1) {
            return write(documents.get(0));
        }
        ObjectNode all = mapper.createObjectNode();
        all.put("ok", documents.stream().allMatch(d -> d.get("ok").asBoolean()));
        ArrayNode results = all.putArray("results");
        documents.forEach(results::add);
        return write(all);
    }

    /**
     * {@code {"command","ok","messages":[{"severity","text"}],"tables":{KEY:[rows]}}}: tables under their stable key
     * (rows of a group's table carry {@code group}; tables of several groups under one key share one list).
     */
    public ObjectNode document(String line, CommandResult result) {
        ObjectNode doc = mapper.createObjectNode();
        doc.put("command", HistoryFilter.redact(line == null ? "" : line.strip()));
        doc.put("ok", !result.failed());
        ArrayNode messages = doc.putArray("messages");
        ObjectNode tables = mapper.createObjectNode();
        for (Block block : result.blocks()) {
            if (block instanceof Message m) {
                messages.addObject()
                        .put("severity", m.severity().name().toLowerCase(Locale.ROOT))
                        .put("text", m.text());
            } else if (block instanceof Table t) {
                ArrayNode rows = mapper.valueToTree(Plain.rows(t));
                if (t.group() != null && tables.get(t.key()) instanceof ArrayNode same) {
                    same.addAll(rows);
                    continue;
                }
                String unique = t.key();
                for (int n = 2; tables.has(unique); n++) {
                    unique = t.key() + n;
                }
                tables.set(unique, rows);
            }
        }
        doc.set("tables", tables);
        return doc;
    }

    private String write(ObjectNode doc) {
        try {
            return pretty ? mapper.writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc)
                    : mapper.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }
}

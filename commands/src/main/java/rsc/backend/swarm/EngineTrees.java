package rsc.backend.swarm;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.Set;

/**
 * The engine's JSON as the tree {@link EngineJson} reads, built on jackson-core's parser alone (an ObjectMapper's
 * set-up, its date formats and locale data, costs a cold JVM about 60 ms), leaving out of a listing the fields no
 * record reads (a task's spec, a service's node script: most of each listing).
 */
final class EngineTrees {

    private static final JsonFactory JSON = new JsonFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private EngineTrees() {
    }

    /** The tree of {@code body}; a listing's objects without their {@code skipped} fields. */
    static JsonNode parse(byte[] body, Set<String> skipped) throws IOException {
        try (JsonParser p = JSON.createParser(body)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new IOException("no content");
            }
            if (first == JsonToken.START_ARRAY && !skipped.isEmpty()) {
                return listing(p, skipped);
            }
            return tree(p, first);
        }
    }

    /**
     * A listing (the array just started) with the {@code skipped} fields of its objects left out: paths of field
     * names joined by dots ({@code Spec}, {@code Spec.TaskTemplate.ContainerSpec.Command}).
     */
    private static JsonNode listing(JsonParser p, Set<String> skipped) throws IOException {
        ArrayNode a = NODES.arrayNode();
        for (JsonToken x = p.nextToken(); x != JsonToken.END_ARRAY; x = p.nextToken()) {
            a.add(x == JsonToken.START_OBJECT ? object(p, "", skipped) : tree(p, x));
        }
        return a;
    }

    private static ObjectNode object(JsonParser p, String at, Set<String> skipped) throws IOException {
        ObjectNode o = NODES.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            String path = at.isEmpty() ? name : at + "." + name;
            JsonToken v = p.nextToken();
            if (skipped.contains(path)) {
                p.skipChildren();
            } else if (v == JsonToken.START_OBJECT && skipped.stream().anyMatch(k -> k.startsWith(path + "."))) {
                o.set(name, object(p, path, skipped));
            } else {
                o.set(name, tree(p, v));
            }
        }
        return o;
    }

    /** The JSON value that starts at {@code t}, as the tree {@code ObjectMapper.readTree} builds (last duplicate key wins). */
    static JsonNode tree(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT -> {
                ObjectNode o = NODES.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    o.set(name, tree(p, p.nextToken()));
                }
                return o;
            }
            case START_ARRAY -> {
                ArrayNode a = NODES.arrayNode();
                for (JsonToken x = p.nextToken(); x != JsonToken.END_ARRAY; x = p.nextToken()) {
                    a.add(tree(p, x));
                }
                return a;
            }
            case VALUE_STRING -> {
                return NODES.textNode(p.getText());
            }
            case VALUE_NUMBER_INT -> {
                return switch (p.getNumberType()) {
                    case INT -> NODES.numberNode(p.getIntValue());
                    case LONG -> NODES.numberNode(p.getLongValue());
                    default -> NODES.numberNode(p.getBigIntegerValue());
                };
            }
            case VALUE_NUMBER_FLOAT -> {
                return NODES.numberNode(p.getDoubleValue());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return NODES.booleanNode(t == JsonToken.VALUE_TRUE);
            }
            case VALUE_NULL -> {
                return NODES.nullNode();
            }
            default -> throw new IOException("unexpected " + t);
        }
    }

}

package rsc.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import rsc.result.CommandResult;
import rsc.result.Message;
import rsc.result.Severity;
import rsc.result.Table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonRendererUnitTests {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void oneDocumentWithMessagesAndTablesKeyedByTitle() throws Exception {
        CommandResult r = CommandResult.of(
                Message.ok("2 nodes"),
                Table.of("nodes", "name", "port", "lag", "up").row("a", 6379, null, true)
                        .row("b", 6380, 12L, new Table.Cell(false, Severity.ERROR)).build(),
                Table.of(null, "x").row("1").build(),
                Table.of("", "y").row("2").build());
        String text = new JsonRenderer(false).render("status --json", r);
        assertFalse(text.contains("\n"), "one line for pipes");
        JsonNode doc = mapper.readTree(text);
        assertEquals("status --json", doc.get("command").asText());
        assertTrue(doc.get("ok").asBoolean());
        assertEquals("ok", doc.get("messages").get(0).get("severity").asText());
        assertEquals("2 nodes", doc.get("messages").get(0).get("text").asText());
        JsonNode nodes = doc.get("tables").get("nodes");
        assertEquals(2, nodes.size());
        assertTrue(nodes.get(0).get("port").isInt(), "numbers stay numbers");
        assertTrue(nodes.get(0).get("lag").isNull());
        assertTrue(nodes.get(0).get("up").isBoolean());
        assertEquals(12L, nodes.get(1).get("lag").asLong());
        assertFalse(nodes.get(1).get("up").asBoolean(), "a coloured cell gives its value");
        assertEquals("1", doc.get("tables").get("table").get(0).get("x").asText());
        assertEquals("2", doc.get("tables").get("table2").get(0).get("y").asText());
    }

    @Test
    void aFailedResultIsNotOkAndSecretsAreRedacted() throws Exception {
        CommandResult r = CommandResult.builder().error("wrong password").build();
        JsonNode doc = mapper.readTree(new JsonRenderer(true).render("redis AUTH hunter2", r));
        assertFalse(doc.get("ok").asBoolean());
        assertEquals("error", doc.get("messages").get(0).get("severity").asText());
        assertFalse(doc.get("command").asText().contains("hunter2"));
    }
}

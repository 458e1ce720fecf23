package rsc.console;

import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.junit.jupiter.api.Test;
import rsc.result.CommandResult;
import rsc.result.Message;
import rsc.result.Severity;
import rsc.result.Table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TextRendererUnitTests {

    private final TextRenderer renderer = new TextRenderer();

    @Test
    void tableHasTitleAlignedColumnsDashesForNullAndNumbersToTheRight() {
        Table t = Table.of("nodes", "name", "role", "lag")
                .row("orders-redis-1", "master", null)
                .row("orders-redis-10", new Table.Cell("replica", Severity.WARN), 1234L)
                .build();
        String text = renderer.render(CommandResult.of(t, Message.ok("2 nodes"))).toString();
        assertEquals(String.join("\n",
                "nodes",
                "name             role     lag",
                "orders-redis-1   master      -",
                "orders-redis-10  replica  1234",
                "",
                "2 nodes"), text);
    }

    @Test
    void headerIsBoldAndUnderlinedAndCellsCarryTheirSeverity() {
        Table t = Table.of(null, "state").row(new Table.Cell("down", Severity.ERROR)).build();
        AttributedString s = renderer.table(t);
        assertEquals("state\ndown", s.toString(), "no title line without a title");
        assertEquals(AttributedStyle.BOLD.underline(), s.styleAt(0));
        assertNotEquals(AttributedStyle.DEFAULT, s.styleAt(6), "the error cell is coloured");
    }

    @Test
    void messagesArePrefixedBySeverityAndPlainTextHasNoEscapes() {
        CommandResult r = CommandResult.builder().ok("done").info("note").warn("quorum 1 of 3").error("no master").build();
        AttributedString s = renderer.render(r);
        assertEquals("done\nnote\nwarning: quorum 1 of 3\nerror: no master", s.toString());
        assertTrue(s.toAnsi().contains("\u001b["), "colour on a terminal");
        assertTrue(!s.toString().contains("\u001b"), "none in plain text");
    }

    /** A data-only column (the raw text of {@code events}) is in JSON, not on the screen. */
    @Test
    void aDataOnlyColumnIsLeftOutOfText() {
        Table t = Table.of("events", "event", "details", "raw").dataOnly("raw")
                .row("+switch-master", "g g-redis-1 -> g-redis-2", "g 127.0.0.1 7000 127.0.0.1 7001").build();
        assertEquals("events\nevent           details\n+switch-master  g g-redis-1 -> g-redis-2",
                renderer.table(t).toString());
        assertEquals("g 127.0.0.1 7000 127.0.0.1 7001", rsc.result.Plain.rows(t).get(0).get("raw"));
    }

    @Test
    void anEmptyTableSaysSo() {
        assertEquals("groups\ngroup\n(none)", renderer.table(Table.of("groups", "group").build()).toString());
    }

    /** Issue 12 item 9: on an 80-column terminal a table fits: the widest columns give way, marked with '…'. */
    @Test
    void aTableFitsTheTerminalWidthAndItsFirstColumnStaysWhole() {
        Table t = Table.of("orders-eu-west: nodes (local)", "node", "address", "role", "follows", "link", "lag")
                .row("orders-eu-west-redis-1", "127.0.0.1:19160", "master", null, "2 replicas", null)
                .row("orders-eu-west-sentinel-1", "127.0.0.1:29160", "sentinel", "orders-eu-west-redis-1",
                        "master,disconnected", null)
                .row("orders-eu-west-redis-2", "127.0.0.1:19161", "replica", "orders-eu-west-redis-1", "up", "0 B")
                .build();
        String text = renderer.render(CommandResult.of(t), 80).toString();
        for (String line : text.split("\n")) {
            assertTrue(line.length() <= 80, line.length() + " columns: " + line);
        }
        assertTrue(text.contains("orders-eu-west-sentinel-1"), "the first column names the row: " + text);
        assertTrue(text.contains("…"), text);
        String wide = renderer.render(CommandResult.of(t), 200).toString();
        assertTrue(wide.contains("master,disconnected") && !wide.contains("…"), "room enough: nothing cut");
    }
}

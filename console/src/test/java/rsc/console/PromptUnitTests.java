package rsc.console;

import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.junit.jupiter.api.Test;
import rsc.model.Endpoint;
import rsc.model.Topology;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PromptUnitTests {

    private static Topology topology(Topology.Health health) {
        return new Topology("swarm", List.of("mymaster"), List.of(),
                Map.of("mymaster", new Endpoint("127.0.0.1", 6379)), Map.of("mymaster", health), Instant.now());
    }

    @Test
    void showsTheConfiguredBackendUntilTheBackendIsOpen() {
        assertEquals("rsc auto mymaster> ",
                Prompt.of("auto", false, Topology.empty("auto"), "mymaster").render().toString());
        assertEquals("rsc swarm mymaster 127.0.0.1:6379> ",
                Prompt.of("auto", true, topology(Topology.Health.OK), "mymaster").render().toString());
    }

    @Test
    void theMasterIsColouredByHealth() {
        AttributedString ok = Prompt.of("local", true, topology(Topology.Health.OK), "mymaster").render();
        AttributedString degraded = Prompt.of("local", true, topology(Topology.Health.DEGRADED), "mymaster").render();
        int at = ok.toString().indexOf("127.");
        assertEquals(AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN), ok.styleAt(at));
        assertEquals(AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW), degraded.styleAt(at));
    }

    @Test
    void aDownGroupWithoutMasterSaysDownAndPercentIsEscaped() {
        Topology down = new Topology("local", List.of("g"), List.of(), Map.of(), Map.of("g", Topology.Health.DOWN), Instant.now());
        assertEquals("rsc local g down> ", Prompt.of("local", true, down, "g").render().toString());
        assertEquals("rsc 100%% g> ", new Prompt("100%", "g", null, Topology.Health.UNKNOWN).ansi().replaceAll("\u001b\\[[0-9;]*m", ""));
    }

    @Test
    void thePassthroughsDatabaseAndTransactionShowAsInRedisCli() {
        assertEquals("rsc swarm mymaster 127.0.0.1:6379[1]> ",
                Prompt.of("local", true, topology(Topology.Health.OK), "mymaster", java.util.Optional.of("[1]")).render().toString());
        assertEquals("rsc swarm mymaster 127.0.0.1:6379(TX)> ",
                Prompt.of("local", true, topology(Topology.Health.OK), "mymaster", java.util.Optional.of("(TX)")).render().toString());
    }

    @Test
    void withoutACurrentGroupThePromptNamesNone() {
        assertEquals("rsc swarm> ", Prompt.of("local", true, topology(Topology.Health.OK), null).render().toString());
    }
}

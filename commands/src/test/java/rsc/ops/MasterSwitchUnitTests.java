package rsc.ops;

import org.junit.jupiter.api.Test;
import rsc.command.CompletionSource;
import rsc.command.Invocation;
import rsc.command.LineParser;
import rsc.command.Option;
import rsc.error.UsageException;
import rsc.catalog.Catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The switch's bound and the way {@code failover} and {@code drill failover --planned} are declared (issue 14). */
class MasterSwitchUnitTests {

    private final LineParser parser = new LineParser(Catalog.table());

    @Test
    void thePauseStaysWellBelowDownAfterAndNeverPastTwoSeconds() {
        assertEquals(2000, MasterSwitch.pauseBound(5000));
        assertEquals(1000, MasterSwitch.pauseBound(2000));
        assertEquals(2000, MasterSwitch.pauseBound(30000));
        assertEquals(200, MasterSwitch.pauseBound(100), "a floor: the replicas need a moment to read the offset");
    }

    @Test
    void failoverDeclaresToWithReplicaNamesAndNoPause() {
        Invocation inv = parser.parse("failover orders --to orders-redis-2 --no-pause");
        assertEquals("orders", inv.string("group").orElseThrow());
        assertEquals("orders-redis-2", inv.string("to").orElseThrow());
        assertTrue(inv.flag("no-pause"));
        Option to = inv.spec().options().stream().filter(o -> o.name().equals("to")).findFirst().orElseThrow();
        assertEquals(CompletionSource.REDIS_NODES, to.type().source(), "--to completes the group's data nodes");
        assertFalse(parser.parse("failover").flag("no-pause"), "pausing is the default");
        assertThrows(UsageException.class, () -> parser.parse("failover --to"));
    }

    @Test
    void thePlannedDrillTakesACount() {
        Invocation inv = parser.parse("drill failover --planned --count 20 --writes 150");
        assertTrue(inv.flag("planned"));
        assertEquals(20, inv.integer("count").orElseThrow());
    }

    @Test
    void theFenceKeepsTheNodesOwnValueAboveAnyReplicaCount() {
        assertTrue(WriteFence.BASE >= 10_000, "no group has that many replicas");
    }
}

package rsc.testing;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ports the local suites give their servers lie below the kernel's ephemeral range and below the host ports rsc
 * publishes Swarm tasks on (30000-32767). They were drawn from 20000-40000 and checked free only when drawn, so an
 * outgoing connection of a later test could take one as its source port first: CI saw "port 39018 is in use" in
 * PersistenceIntegrationTests.
 */
class TestPortsUnitTests {

    @Test
    void freePortsStayBelowTheEphemeralRangeAndSwarmsHostPorts() {
        int ceiling = Math.min(30000, LocalTestBed.ephemeralLow());
        for (int i = 0; i < 200; i++) {
            int base = LocalTestBed.freePorts(40);
            assertTrue(base >= 10000 && base + 40 <= ceiling, "ports " + base + "-" + (base + 39) + " reach " + ceiling);
        }
    }
}

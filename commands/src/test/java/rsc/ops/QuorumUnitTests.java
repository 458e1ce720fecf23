package rsc.ops;

import org.junit.jupiter.api.Test;
import rsc.error.RscException;
import rsc.error.UsageException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuorumUnitTests {

    @Test
    void theDefaultIsAMajority() {
        assertEquals(2, Quorum.choose(3, null, false));
        assertEquals(3, Quorum.choose(5, null, false));
        assertEquals(1, Quorum.choose(1, null, false));
        assertEquals(2, Quorum.choose(2, null, false));
    }

    @Test
    void aMinorityQuorumIsRefusedUnlessForced() {
        RscException e = assertThrows(RscException.class, () -> Quorum.choose(4, 2, false));
        assertTrue(e.getMessage().startsWith("quorum 2 of 4 sentinels is not a majority (3)"), e.getMessage());
        assertEquals(2, Quorum.choose(4, 2, true));
        assertThrows(UsageException.class, () -> Quorum.choose(3, 4, true));
        assertThrows(UsageException.class, () -> Quorum.choose(3, 0, true));
    }
}

package rsc.session;

import org.junit.jupiter.api.Test;
import rsc.testing.PackageSources;

import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The session sits below the operations and the command catalog: those import it, never the reverse (the topology
 * cache gets its master lookup passed in as a {@link GroupProbe}).
 */
class SessionFloorUnitTests {

    private static final Pattern UPWARD = Pattern.compile("\\brsc\\.(ops|catalog)\\.");

    @Test
    void theSessionPackageNamesNoOperationAndNoCatalogClass() {
        assertEquals(List.of(), PackageSources.linesMatching("rsc.session", UPWARD));
    }

    /** The event hub is the session's part: it read the session's {@code Topology}, a cycle, until that moved to the model. */
    @Test
    void theEventsPackageNamesNoSessionClass() {
        assertEquals(List.of(), PackageSources.linesMatching("rsc.events", Pattern.compile("\\brsc\\.session\\.")));
    }
}

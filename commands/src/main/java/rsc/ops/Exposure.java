package rsc.ops;

import rsc.model.Finding;
import rsc.result.Severity;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A data node that listens on every interface with {@code protected-mode no}: reachable from any host that can route
 * to it, with nothing but its password in the way (and with none, by anyone). Protected mode is Redis's own guard for
 * exactly this; the fix is to turn it back on and bind the interfaces clients use.
 */
final class Exposure {

    /** Bind addresses that mean "every interface" ({@code -} marks an address that may be missing). */
    private static final Set<String> ALL = Set.of("0.0.0.0", "*", "::", "::*");

    private Exposure() {
    }

    static Optional<Finding> of(String node, String bind, String protectedMode, boolean hasPassword) {
        if (!"no".equalsIgnoreCase(protectedMode == null ? "" : protectedMode.trim())) {
            return Optional.empty();
        }
        String b = bind == null ? "" : bind.trim();
        List<String> addresses = b.isEmpty() ? List.of("*") : List.of(b.split("\\s+"));
        if (addresses.stream().map(a -> a.startsWith("-") ? a.substring(1) : a).noneMatch(ALL::contains)) {
            return Optional.empty();
        }
        return Optional.of(new Finding(hasPassword ? Severity.WARN : Severity.ERROR, "exposed",
                node + " listens on all interfaces (bind " + (b.isEmpty() ? "unset" : b) + ") with protected-mode no"
                        + (hasPassword ? ": only its password stands between it and any host that can reach it"
                                       : " and no password: anyone who can reach it owns its data"),
                "redis --node " + node + " CONFIG SET protected-mode yes (and CONFIG SET bind to the interfaces clients use)"));
    }
}

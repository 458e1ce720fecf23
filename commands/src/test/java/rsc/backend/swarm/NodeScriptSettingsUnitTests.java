package rsc.backend.swarm;

import org.junit.jupiter.api.Test;
import rsc.ops.LiveConfig;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The data-node script copies the group's settings from its master except the parameters each node owns: its list
 * must be the one {@code config set} refuses ({@link LiveConfig}), or a restarted task would copy the master's port,
 * password or write fence, or miss a setting rsc allows.
 */
class NodeScriptSettingsUnitTests {

    private static List<String> words(String script, String variable) {
        Matcher m = Pattern.compile("(?m)^" + variable + "=\"([^\"]*)\"").matcher(script);
        assertTrue(m.find(), variable + " in the data-node script");
        return Arrays.stream(m.group(1).replace("\\\n", "").split("\\s+")).filter(w -> !w.isEmpty()).toList();
    }

    @Test
    void theScriptSkipsExactlyWhatConfigSetRefuses() {
        String script = NodeScripts.redis();
        assertEquals(LiveConfig.ownedNames(), words(script, "OWN_PARAMS"));
        assertEquals(LiveConfig.ownedPrefixes(), words(script, "OWN_PREFIXES").stream().sorted().toList());
    }

    @Test
    void everyStartThatFollowsAMasterCopiesItsSettings() {
        String script = NodeScripts.redis();
        // the two exec paths that follow a master (in the background, once the node answers) ...
        assertEquals(2, script.split("settings_when_up \"\\$", -1).length - 1, script);
        // ... and the held node once it follows the master Sentinel set or the sentinels name
        assertEquals(2, script.split("\n\\s*copy_settings \"\\$", -1).length - 1, script);
    }

    @Test
    void aRestartedSentinelTakesItsPeersTimingsAndQuorum() {
        String script = NodeScripts.sentinel();
        assertTrue(script.contains("SENTINEL master \"$G\""), script);
        assertTrue(script.contains("echo \"sentinel parallel-syncs $G $PS\""), script);
        for (String k : List.of("quorum) Q=", "down-after-milliseconds) DA=", "failover-timeout) FT=", "parallel-syncs) PS=")) {
            assertTrue(script.contains(k), k);
        }
    }
}

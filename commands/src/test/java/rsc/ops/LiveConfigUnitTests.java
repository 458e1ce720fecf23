package rsc.ops;

import org.junit.jupiter.api.Test;
import rsc.error.UsageException;
import rsc.error.RscException;
import rsc.ops.LiveConfig.SentinelParam;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@code config set} refuses and why; the words {@code sentinel set} takes. */
class LiveConfigUnitTests {

    @Test
    void passwordsAddressesFilesFenceAndPersistenceAreRefusedWithAReason() {
        for (String p : List.of("requirepass", "MASTERAUTH", "masteruser", "replicaof", "slaveof", "port", "bind", "dir",
                "dbfilename", "logfile", "replica-announce-ip", "min-replicas-to-write", "min-slaves-max-lag",
                "replica-priority", "replica-read-only", "save", "appendonly", "tls-key-file-pass", "cluster-enabled",
                "protected-mode", "aclfile")) {
            String why = LiveConfig.refusal(p).orElseThrow(() -> new AssertionError(p + " must be refused"));
            assertFalse(why.isBlank() || why.contains("\n"), why);
        }
        assertTrue(LiveConfig.refusal("min-replicas-to-write").get().contains("write fence"));
        assertTrue(LiveConfig.refusal("requirepass").get().contains("password"));
    }

    @Test
    void tunablesAreTheGroups() {
        for (String p : List.of("maxmemory", "maxmemory-policy", "timeout", "hz", "notify-keyspace-events",
                "client-output-buffer-limit", "repl-backlog-size", "slowlog-log-slower-than")) {
            assertTrue(LiveConfig.groupWide(p), p);
        }
    }

    @Test
    void secretsAreNeverShown() {
        assertTrue(LiveConfig.secret("requirepass") && LiveConfig.secret("masterauth") && LiveConfig.secret("tls-key-file-pass"));
        assertFalse(LiveConfig.secret("maxmemory"));
    }

    @Test
    void configSetRefusesWhatRscOwnsAndWhatIsNotOneName() {
        RscException e = assertThrows(RscException.class, () -> GroupConfig.checked("masterauth"));
        assertTrue(e.getMessage().startsWith("refused: config set masterauth: "), e.getMessage());
        assertThrows(UsageException.class, () -> GroupConfig.checked("max*"));
        assertThrows(UsageException.class, () -> GroupConfig.checked("a\nb"));
        assertEquals("maxmemory", GroupConfig.checked("MaxMemory"));
    }

    @Test
    void sentinelSetTakesFriendlyAndSentinelNames() {
        assertArrayEquals(new String[]{"down-after", "down-after-milliseconds", "failover-timeout", "quorum", "parallel-syncs"},
                SentinelParam.words());
        assertEquals(SentinelParam.DOWN_AFTER, SentinelParam.of("down-after"));
        assertEquals(SentinelParam.DOWN_AFTER, SentinelParam.of("DOWN-AFTER-MILLISECONDS"));
        assertEquals("down-after-milliseconds", SentinelParam.DOWN_AFTER.sentinelName());
        assertThrows(UsageException.class, () -> SentinelParam.of("auth-pass"));
    }
}

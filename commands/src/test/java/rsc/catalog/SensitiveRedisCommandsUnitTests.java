package rsc.catalog;

import org.junit.jupiter.api.Test;
import rsc.error.RscException;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Commands that change a password rsc keeps are refused through {@code redis}: rsc's copy would go stale. */
class SensitiveRedisCommandsUnitTests {

    private static List<String> words(String line) {
        return List.of(line.split(" "));
    }

    @Test
    void changingAPasswordRscKeepsIsRefusedWithOneLine() {
        for (String line : List.of("CONFIG SET requirepass x", "config set REQUIREPASS x", "CONFIG SET maxmemory 1mb masterauth x",
                "CONFIG SET masteruser u", "ACL SETUSER default >x", "acl setuser DEFAULT resetpass", "SENTINEL SET g auth-pass x",
                "SENTINEL SET g down-after-milliseconds 1000 AUTH-PASS x", "SENTINEL SET g auth-user u",
                "SENTINEL CONFIG SET sentinel-pass x", "sentinel config set sentinel-user u")) {
            RscException e = assertThrows(RscException.class, () -> SensitiveRedisCommands.refuse(words(line)), line);
            assertEquals(1, e.getMessage().lines().count());
            assertTrue(e.getMessage().contains("'rotate-password' changes it on every node and sentinel"), e.getMessage());
            assertTrue(!e.getMessage().contains(" x"), "the password is not echoed: " + e.getMessage());
        }
    }

    @Test
    void otherCommandsPass() {
        for (String line : List.of("CONFIG SET maxmemory 1mb", "CONFIG GET requirepass", "ACL SETUSER app on >pw ~* +@all",
                "SENTINEL SET g down-after-milliseconds 1000", "SENTINEL CONFIG GET sentinel-pass", "SET requirepass x", "PING")) {
            assertDoesNotThrow(() -> SensitiveRedisCommands.refuse(words(line)), line);
        }
    }
}

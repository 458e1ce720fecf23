package rsc.secrets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rsc.error.UsageException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sentinel rewrites {@code sentinel auth-pass G PW} unquoted and its config parser splits on blanks and quotes, so a
 * password with a blank, a quote, a backslash or a control character breaks every sentinel at its next restart: such
 * passwords are refused, by one rule, on both backends.
 */
class PasswordSourceUnitTests {

    @Test
    void passwordsSentinelCannotRoundTripAreRefusedWithOneLine() {
        for (String pw : List.of("pass word", "tab\there", "say\"hi\"", "it's", "back\\slash", "bell\u0007", "del\u007f",
                "é-accent", "", " ")) {
            UsageException e = assertThrows(UsageException.class, () -> PasswordSource.check(pw, "RSC_PASSWORD"), pw);
            assertTrue(e.getMessage().startsWith("RSC_PASSWORD "), e.getMessage());
            assertEquals(1, e.getMessage().lines().count());
        }
    }

    @Test
    void aPasswordFileIsJudgedAlikeAndAMissingOneIsAOneLineError(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("pw");
        Files.writeString(f, "pass word\n");
        UsageException e = assertThrows(UsageException.class, () -> PasswordSource.fromFile(f));
        assertTrue(e.getMessage().contains("blank"), e.getMessage());
        Files.writeString(f, "ok-password\n");
        assertEquals("ok-password", PasswordSource.fromFile(f).reveal());
        e = assertThrows(UsageException.class, () -> PasswordSource.fromFile(dir.resolve("nonexistent")));
        assertEquals("password file not found: " + dir.resolve("nonexistent"), e.getMessage());
    }

    @Test
    void printableAsciiWithoutBlanksQuotesOrBackslashesIsTaken() {
        String pw = "Pa$$-w0rd_#!%&*+=:;,.?@^~()[]{}<>|/`";
        assertEquals(pw, PasswordSource.choose(Optional.empty(), Optional.of(pw)).reveal());
        assertEquals(Optional.empty(), PasswordSource.problem(PasswordSource.generate().reveal()));
    }
}

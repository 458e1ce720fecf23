package rsc.backend;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Where rsc keeps its state: $HOME (not Java's user.home, which ignores it) unless RSC_STATE_DIR says otherwise. */
class SettingsUnitTests {

    @Test
    void stateLivesUnderHome() {
        assertEquals(Path.of("/tmp/x/.rsc/local"), Settings.fromEnvironment(Map.of("HOME", "/tmp/x")).stateDir());
        assertEquals(Path.of("/srv/rsc"), Settings.fromEnvironment(Map.of("HOME", "/tmp/x", "RSC_STATE_DIR", "/srv/rsc")).stateDir());
        assertEquals(Path.of(System.getProperty("user.home"), ".rsc", "local"), Settings.fromEnvironment(Map.of()).stateDir(),
                "without HOME: the user's own home from the password database");
    }
}

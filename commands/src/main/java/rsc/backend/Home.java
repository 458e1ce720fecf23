package rsc.backend;

import java.nio.file.Path;
import java.util.Map;

/**
 * The user's home as the shell knows it: {@code $HOME}, which Java's {@code user.home} ignores (it reads the password
 * database), so that {@code HOME=/somewhere rsc} keeps history and state there. Without {@code HOME}, the password
 * database's home: the user's own, never a shared directory.
 */
public final class Home {

    private Home() {
    }

    public static Path of(Map<String, String> env) {
        String home = env.get("HOME");
        return Path.of(home == null || home.isBlank() ? System.getProperty("user.home") : home);
    }
}

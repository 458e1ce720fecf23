package rsc.secrets;

import rsc.error.UsageException;
import rsc.model.Secret;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/** Where a new group's password comes from: {@code --password-file}, env {@code RSC_PASSWORD}, or generated. */
public final class PasswordSource {

    private PasswordSource() {
    }

    /** 32 random bytes as hex: safe in every config syntax and shell. */
    public static Secret generate() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return new Secret(HexFormat.of().formatHex(b));
    }

    /** The file's content without a trailing line break; a one-line error when missing, empty or multi-line. */
    public static Secret fromFile(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UsageException("password file not found: " + file);
        } catch (IOException e) {
            throw new UsageException("cannot read the password file " + file + ": " + e.getMessage());
        }
        if (text.endsWith("\n")) {
            text = text.substring(0, text.length() - 1);
        }
        if (text.endsWith("\r")) {
            text = text.substring(0, text.length() - 1);
        }
        return check(text, "the password in " + file);
    }

    /** The password for a new group: the file, else {@code RSC_PASSWORD}, else a generated one. */
    public static Secret choose(Optional<Path> file, Optional<String> env) {
        if (file.isPresent()) {
            return fromFile(file.get());
        }
        if (env.isPresent() && !env.get().isEmpty()) {
            return check(env.get(), "RSC_PASSWORD");
        }
        return generate();
    }

    static Secret check(String text, String what) {
        Optional<String> problem = problem(text);
        if (problem.isPresent()) {
            throw new UsageException(what + " " + problem.get());
        }
        return new Secret(text);
    }

    /**
     * What makes {@code text} unusable as a group's password, if anything. One rule for both backends: printable ASCII
     * (33-126) without {@code "}, {@code '} or {@code \}, 1-512 characters. Why: Sentinel rewrites its config with
     * {@code sentinel auth-pass G PW} unquoted and its parser splits on blanks and quotes, so a blank, a quote or a
     * backslash breaks every sentinel at its next restart; the Swarm node scripts put it in Redis config text too.
     */
    public static Optional<String> problem(String text) {
        if (text.isEmpty()) {
            return Optional.of("is empty");
        }
        if (text.length() > 512) {
            return Optional.of("is longer than 512 characters");
        }
        for (char c : text.toCharArray()) {
            if (c == ' ' || Character.isWhitespace(c)) {
                return Optional.of("has a blank: Sentinel rewrites its config unquoted and could not read it back at its next restart; "
                        + "use printable ASCII without blanks, quotes or backslashes (or let rsc generate one)");
            }
            if (c == '"' || c == '\'' || c == '\\') {
                return Optional.of("has a quote or a backslash: Sentinel rewrites its config unquoted and could not read it back at its "
                        + "next restart; use printable ASCII without blanks, quotes or backslashes (or let rsc generate one)");
            }
            if (c < 33 || c > 126) {
                return Optional.of("has a control or non-ASCII character; use printable ASCII without blanks, quotes or backslashes "
                        + "(or let rsc generate one)");
            }
        }
        return Optional.empty();
    }
}

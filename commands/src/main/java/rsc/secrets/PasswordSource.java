package rsc.secrets;

import rsc.command.UsageException;
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
        if (text.isEmpty()) {
            throw new UsageException(what + " is empty");
        }
        for (char c : text.toCharArray()) {
            if (c == '\n' || c == '\r' || c == 0) {
                throw new UsageException(what + " must be one line with no NUL character");
            }
        }
        if (text.length() > 512) {
            throw new UsageException(what + " is longer than 512 characters");
        }
        return new Secret(text);
    }
}

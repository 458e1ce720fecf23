package rsc.session;

import rsc.error.UsageException;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a script's lines with bounds (a line of at most {@link #MAX_LINE} bytes, a script of at most
 * {@link #MAX_SCRIPT}) and strictly as UTF-8 text, so {@code rsc /dev/zero}, a binary or an unreadable file ends in one
 * line naming the file, not in an OutOfMemoryError or a decoder's "Input length = 1".
 */
public final class ScriptFile {

    /** No rsc command line is longer; a longer one is not a script. */
    public static final int MAX_LINE = 1 << 20;
    public static final int MAX_SCRIPT = 64 << 20;

    private ScriptFile() {
    }

    public static List<String> lines(Path file) {
        if (Files.isDirectory(file)) {
            throw new UsageException("cannot read script " + file + ": it is a directory");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return lines(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new UsageException("script file not found: " + file);
        } catch (AccessDeniedException e) {
            throw new UsageException("cannot read script " + file + ": permission denied");
        } catch (IOException e) {
            throw new UsageException("cannot read script " + file + ": " + rsc.error.OneLine.of(e.getMessage()));
        }
    }

    /** The lines of {@code in} ({@code name} in messages: a file, or "-" for stdin). */
    public static List<String> lines(InputStream in, String name) throws IOException {
        InputStream b = new BufferedInputStream(in, 65536);
        List<String> out = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        long total = 0;
        boolean pending = false;
        for (int c = b.read(); c >= 0; c = b.read()) {
            if (++total > MAX_SCRIPT) {
                throw new UsageException(name + ": longer than " + (MAX_SCRIPT >> 20) + " MiB: is it a script?");
            }
            if (c == '\n') {
                out.add(decode(line, name, out.size() + 1));
                line.reset();
                pending = false;
                continue;
            }
            if (c == 0) {
                throw new UsageException(name + ":" + (out.size() + 1) + ": not a text file (a NUL byte): is it a script?");
            }
            if (line.size() >= MAX_LINE) {
                throw new UsageException(name + ":" + (out.size() + 1) + ": a line longer than " + (MAX_LINE >> 10)
                        + " KiB: is it a script?");
            }
            line.write(c);
            pending = true;
        }
        if (pending) {
            out.add(decode(line, name, out.size() + 1));
        }
        return out;
    }

    private static String decode(ByteArrayOutputStream bytes, String name, int lineNo) {
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
            return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
        } catch (CharacterCodingException e) {
            throw new UsageException(name + ":" + lineNo + ": not a text file (not UTF-8): is it a script?");
        }
    }
}

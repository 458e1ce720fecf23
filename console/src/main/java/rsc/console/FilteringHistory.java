package rsc.console;

import org.jline.reader.LineReader;
import org.jline.reader.impl.history.DefaultHistory;
import rsc.session.HistoryFilter;
import rsc.session.Home;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * JLine history that never records a line holding a secret ({@link HistoryFilter#sensitive}): such a line is
 * neither kept in memory (up-arrow) nor written to the history file, and the file stays 0600.
 */
public final class FilteringHistory extends DefaultHistory {

    private LineReader reader;

    @Override
    public void save() throws IOException {
        super.save();
        Object file = reader == null ? null : reader.getVariable(LineReader.HISTORY_FILE);
        Path path = file instanceof Path p ? p : file == null ? null : Path.of(file.toString());
        if (path != null && Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));   // JLine rewrites it 0644
        }
    }

    @Override
    public void attach(LineReader reader) {
        this.reader = reader;
        super.attach(reader);
    }

    @Override
    public void add(Instant time, String line) {
        if (HistoryFilter.sensitive(line)) {
            return;
        }
        super.add(time, line);
    }

    /** {@code RSC_HISTORY} when set, else {@code $HOME/.rsc/history}. */
    public static Path location(Map<String, String> env) {
        return Optional.ofNullable(env.get("RSC_HISTORY")).filter(s -> !s.isBlank()).map(Path::of)
                .orElse(Home.of(env).resolve(".rsc").resolve("history"));
    }
}

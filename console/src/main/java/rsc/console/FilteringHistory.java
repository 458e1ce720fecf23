package rsc.console;

import org.jline.reader.LineReader;
import org.jline.reader.impl.history.DefaultHistory;
import rsc.session.HistoryFilter;
import rsc.backend.Home;

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
 * neither kept in memory (up-arrow, autosuggestions) nor written to the history file, nor read back from a file that
 * holds one, and the file stays 0600.
 */
public final class FilteringHistory extends DefaultHistory {

    private LineReader reader;

    @Override
    public void save() throws IOException {
        super.save();
        Path path = file();
        if (path != null && Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));   // JLine rewrites it 0644
        }
    }

    /** JLine's trim puts the file's lines back in memory without {@link #internalAdd}: read them again through it. */
    @Override
    protected void trimHistory(Path path, int max) throws IOException {
        super.trimHistory(path, max);
        if (path.equals(file())) {
            load();
        }
    }

    @Override
    public void attach(LineReader reader) {
        this.reader = reader;
        super.attach(reader);
    }

    /**
     * Every line on its way into memory: typed ones, and those read from the file, which may hold a secret written
     * before rsc filtered or by hand.
     */
    @Override
    protected void internalAdd(Instant time, String line, boolean checkDuplicates) {
        if (HistoryFilter.sensitive(line)) {
            return;
        }
        super.internalAdd(time, line, checkDuplicates);
    }

    private Path file() {
        Object file = reader == null ? null : reader.getVariable(LineReader.HISTORY_FILE);
        return file instanceof Path p ? p : file == null ? null : Path.of(file.toString());
    }

    /** {@code RSC_HISTORY} when set, else {@code $HOME/.rsc/history}. */
    public static Path location(Map<String, String> env) {
        return Optional.ofNullable(env.get("RSC_HISTORY")).filter(s -> !s.isBlank()).map(Path::of)
                .orElse(Home.of(env).resolve(".rsc").resolve("history"));
    }
}

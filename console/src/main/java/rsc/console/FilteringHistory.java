package rsc.console;

import org.jline.reader.impl.history.DefaultHistory;
import rsc.session.HistoryFilter;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * JLine history that never records a line holding a secret ({@link HistoryFilter#sensitive}): such a line is
 * neither kept in memory (up-arrow) nor written to the history file.
 */
public final class FilteringHistory extends DefaultHistory {

    @Override
    public void add(Instant time, String line) {
        if (HistoryFilter.sensitive(line)) {
            return;
        }
        super.add(time, line);
    }

    /** {@code RSC_HISTORY} when set, else {@code ~/.rsc/history}. */
    public static Path location(Map<String, String> env, String userHome) {
        return Optional.ofNullable(env.get("RSC_HISTORY")).filter(s -> !s.isBlank()).map(Path::of)
                .orElse(Path.of(userHome, ".rsc", "history"));
    }
}

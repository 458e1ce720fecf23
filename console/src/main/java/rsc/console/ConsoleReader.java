package rsc.console;

import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.terminal.Terminal;
import rsc.command.CommandTable;
import rsc.command.RedisCommandNames;
import rsc.session.PrivateDirectory;
import rsc.model.Topology;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.function.Supplier;

/**
 * Builds the REPL's {@link LineReader}: table completion, rsc's word splitting, filtered persistent history, the
 * usage tail tip and history autosuggestions.
 * No {@code !} history expansion (Redis values contain {@code !}), no typo-guessing in completion, and
 * case-insensitive matching so {@code redis ge<TAB>} finds {@code GET}.
 */
public final class ConsoleReader {

    private ConsoleReader() {
    }

    /**
     * @param topology the cached snapshot completion reads
     * @param history  the history file, created with its parent directory when missing; null for no file
     */
    public static LineReader build(Terminal terminal, CommandTable<?> table, Supplier<Topology> topology, Path history) {
        RedisCommandNames redisCommands = RedisCommandNames.load();
        LineReaderBuilder b = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("rsc")
                .parser(CommandLineParser.create())
                .completer(new TableCompleter(table, new ValueCandidates(topology, redisCommands)))
                .history(new FilteringHistory())
                .variable(LineReader.HISTORY_SIZE, 2000)
                .variable(LineReader.HISTORY_FILE_SIZE, 5000)
                .variable(LineReader.ERRORS, 0)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .option(LineReader.Option.HISTORY_IGNORE_DUPS, true)
                .option(LineReader.Option.HISTORY_REDUCE_BLANKS, true)
                .option(LineReader.Option.INSERT_TAB, false)
                .option(LineReader.Option.CASE_INSENSITIVE, true)
                .option(LineReader.Option.AUTO_FRESH_LINE, true);
        if (history != null) {
            prepare(history);
            b.variable(LineReader.HISTORY_FILE, history);
        }
        LineReader reader = b.build();
        if (!Terminal.TYPE_DUMB.equals(terminal.getType()) && !Terminal.TYPE_DUMB_COLOR.equals(terminal.getType())) {
            UsageTips.enable(reader, table);
            Suggestions.enable(reader);
        }
        return reader;
    }

    /**
     * The history file 0600, made before JLine writes it (JLine appends to it, or replaces it by a 0600 temporary
     * file), in a directory made 0700 when missing: typed commands name groups, hosts and keys.
     */
    private static void prepare(Path history) {
        try {
            Path parent = history.toAbsolutePath().getParent();
            if (parent != null) {
                PrivateDirectory.createMissing(parent);
            }
            if (!Files.exists(history, LinkOption.NOFOLLOW_LINKS)) {
                Files.createFile(history, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.setPosixFilePermissions(history, PosixFilePermissions.fromString("rw-------"));
            }
        } catch (IOException | UnsupportedOperationException e) {
            // history then lives in memory only, or as it was; the console itself works
        }
    }
}

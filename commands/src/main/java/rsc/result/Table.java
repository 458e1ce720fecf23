package rsc.result;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Rows under named columns. Cells keep their type (numbers stay numbers in JSON); null renders as "-".
 * A cell may be a {@link Cell} to carry a severity for colouring.
 *
 * @param key   the stable name JSON output files it under ({@code nodes}, {@code sentinels}); never holds data
 * @param group the group the rows belong to, or null: a field of each row in JSON, part of the title in text
 * @param title what text output shows above the table
 */
public record Table(String key, String group, String title, List<String> columns, List<List<Object>> rows)
        implements Block {

    public Table {
        columns = List.copyOf(columns);
        rows = rows.stream().map(r -> java.util.Collections.unmodifiableList(new ArrayList<>(r))).toList();
    }

    /** A table of no group, keyed by its title (lower case, words joined by '_'), or {@code table} untitled. */
    public Table(String title, List<String> columns, List<List<Object>> rows) {
        this(keyOf(title), null, title, columns, rows);
    }

    private static String keyOf(String title) {
        if (title == null || title.isBlank()) {
            return "table";
        }
        return title.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_|_$", "");
    }

    /** A value with the severity it should be shown in. */
    public record Cell(Object value, Severity severity) {
        @Override
        public String toString() {
            return value == null ? "-" : String.valueOf(value);
        }
    }

    public static Builder of(String title, String... columns) {
        return new Builder(title, Arrays.asList(columns));
    }

    /** A table of one group's rows under a stable key; its title is {@code GROUP: KEY} unless {@link Builder#title} says otherwise. */
    public static Builder ofGroup(String group, String key, String... columns) {
        Builder b = new Builder(group + ": " + key, Arrays.asList(columns));
        b.key = key;
        b.group = group;
        return b;
    }

    /** Adds rows one at a time. */
    public static final class Builder {
        private String title;
        private String key;
        private String group;
        private final List<String> columns;
        private final List<List<Object>> rows = new ArrayList<>();

        private Builder(String title, List<String> columns) {
            this.title = title;
            this.columns = columns;
        }

        public Builder row(Object... cells) {
            if (cells.length != columns.size()) {
                throw new IllegalArgumentException("row has " + cells.length + " cells for " + columns.size() + " columns");
            }
            rows.add(Arrays.asList(cells));
            return this;
        }

        /** What text output shows above the table instead of {@code GROUP: KEY}. */
        public Builder title(String text) {
            title = text;
            return this;
        }

        public Table build() {
            return key == null ? new Table(title, columns, rows) : new Table(key, group, title, columns, rows);
        }
    }
}

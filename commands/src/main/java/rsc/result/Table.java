package rsc.result;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Rows under named columns. Cells keep their type (numbers stay numbers in JSON); null renders as "-".
 * A cell may be a {@link Cell} to carry a severity for colouring.
 *
 * @param key   the stable name JSON output files it under ({@code nodes}, {@code sentinels}); never holds data
 * @param group the group the rows belong to, or null: a field of each row in JSON, part of the title in text
 * @param title what text output shows above the table
 * @param dataOnly columns text output leaves out while JSON and exports keep them (Sentinel's raw text beside the
 *                 readable details of {@code events}): the screen stays narrow, nothing is lost for a post-mortem
 */
public record Table(String key, String group, String title, List<String> columns, List<List<Object>> rows,
                    Set<String> dataOnly) implements Block {

    public Table {
        columns = List.copyOf(columns);
        rows = rows.stream().map(r -> java.util.Collections.unmodifiableList(new ArrayList<>(r))).toList();
        dataOnly = Set.copyOf(dataOnly);
        if (!columns.containsAll(dataOnly)) {
            throw new IllegalArgumentException("data-only columns " + dataOnly + " are not all among " + columns);
        }
    }

    /** A table whose every column shows in text. */
    public Table(String key, String group, String title, List<String> columns, List<List<Object>> rows) {
        this(key, group, title, columns, rows, Set.of());
    }

    /** A table of no group, keyed by its title (lower case, words joined by '_'), or {@code table} untitled. */
    public Table(String title, List<String> columns, List<List<Object>> rows) {
        this(keyOf(title), null, title, columns, rows);
    }

    /** The table as text shows it: without its {@link #dataOnly} columns. */
    public Table forText() {
        if (dataOnly.isEmpty()) {
            return this;
        }
        List<Integer> keep = new ArrayList<>();
        for (int c = 0; c < columns.size(); c++) {
            if (!dataOnly.contains(columns.get(c))) {
                keep.add(c);
            }
        }
        List<List<Object>> shown = rows.stream()
                .map(r -> keep.stream().map(c -> c < r.size() ? r.get(c) : null).toList()).toList();
        return new Table(key, group, title, keep.stream().map(columns::get).toList(), shown);
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
        private Set<String> dataOnly = Set.of();

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

        /** Columns only JSON and exports show (see {@link Table#dataOnly}). */
        public Builder dataOnly(String... names) {
            dataOnly = Set.of(names);
            return this;
        }

        public Table build() {
            return new Table(key == null ? keyOf(title) : key, group, title, columns, rows, dataOnly);
        }
    }
}

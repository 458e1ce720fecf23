package rsc.result;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Rows under named columns. Cells keep their type (numbers stay numbers in JSON); null renders as "-".
 * A cell may be a {@link Cell} to carry a severity for colouring.
 */
public record Table(String title, List<String> columns, List<List<Object>> rows) implements Block {

    public Table {
        columns = List.copyOf(columns);
        rows = rows.stream().map(r -> java.util.Collections.unmodifiableList(new ArrayList<>(r))).toList();
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

    /** Adds rows one at a time. */
    public static final class Builder {
        private final String title;
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

        public Table build() {
            return new Table(title, columns, rows);
        }
    }
}

package rsc.console;

import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;
import rsc.result.Block;
import rsc.result.CommandResult;
import rsc.result.Message;
import rsc.result.Severity;
import rsc.result.Table;

import java.util.ArrayList;
import java.util.List;

/**
 * Lays a {@link CommandResult} out as aligned text. The result is styled; a terminal prints it with
 * {@code toAnsi(terminal)}, a pipe with {@code toString()}, which drops every style.
 */
public final class TextRenderer {

    private static final String GAP = "  ";

    /** Made when a time is first shown: the time zone's set-up costs a cold one-shot about 15 ms, most show none. */
    private static final class Clock {
        static final java.time.format.DateTimeFormatter CLOCK = java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss")
                .withZone(java.time.ZoneId.systemDefault());
    }

    /** Every block of the result, one after the other; tables are followed by a blank line when more follows. */
    public AttributedString render(CommandResult result) {
        return render(result, Integer.MAX_VALUE);
    }

    /** As {@link #render(CommandResult)}, each table fitted into {@code width} columns (a terminal's width). */
    public AttributedString render(CommandResult result, int width) {
        AttributedStringBuilder b = new AttributedStringBuilder();
        List<Block> blocks = result.blocks();
        for (int i = 0; i < blocks.size(); i++) {
            Block block = blocks.get(i);
            if (i > 0) {
                b.append('\n');
            }
            if (block instanceof Message m) {
                b.append(message(m));
            } else if (block instanceof Table t) {
                b.append(table(t, width));
                if (i < blocks.size() - 1) {
                    b.append('\n');
                }
            }
        }
        return b.toAttributedString();
    }

    /** One message: OK in green, WARN as {@code warning: } in yellow, ERROR as {@code error: } in red. */
    public AttributedString message(Message m) {
        String text = switch (m.severity()) {
            case WARN -> "warning: " + m.text();
            case ERROR -> "error: " + m.text();
            default -> m.text();
        };
        return new AttributedString(text, style(m.severity()));
    }

    /** A failure line as the console prints it: {@code error: ...} in red. */
    public AttributedString error(String line) {
        return message(Message.error(line));
    }

    /** A table: optional bold title, bold underlined header, aligned columns (number columns to the right). */
    public AttributedString table(Table t) {
        return table(t, Integer.MAX_VALUE);
    }

    /**
     * A table fitted into {@code maxWidth} columns: while it is wider, the widest column but the first (which names the
     * row) gives up a column (down to its header's width, or 6), and what no longer fits in a cell ends with '…'.
     * Pipes and logs get every character.
     */
    public AttributedString table(Table all, int maxWidth) {
        Table t = all.forText();
        List<String> columns = t.columns();
        int[] width = new int[columns.size()];
        boolean[] numeric = new boolean[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            width[c] = columnLength(columns.get(c));
            numeric[c] = numericColumn(t, c);
        }
        List<List<String>> texts = new ArrayList<>();
        for (List<Object> row : t.rows()) {
            List<String> cells = new ArrayList<>();
            for (int c = 0; c < columns.size(); c++) {
                String text = cellText(c < row.size() ? row.get(c) : null);
                cells.add(text);
                width[c] = Math.max(width[c], columnLength(text));
            }
            texts.add(cells);
        }
        fit(width, columns, maxWidth);
        for (List<String> cells : texts) {
            for (int c = 0; c < cells.size(); c++) {
                cells.set(c, cut(cells.get(c), width[c]));
            }
        }
        AttributedStringBuilder b = new AttributedStringBuilder();
        if (t.title() != null && !t.title().isBlank()) {
            b.styled(AttributedStyle.BOLD, t.title()).append('\n');
        }
        for (int c = 0; c < columns.size(); c++) {
            if (c > 0) {
                b.append(GAP);
            }
            b.styled(AttributedStyle.BOLD.underline(), columns.get(c));
            if (c < columns.size() - 1) {
                pad(b, width[c] - columnLength(columns.get(c)));
            }
        }
        if (t.rows().isEmpty()) {
            b.append('\n').styled(AttributedStyle.DEFAULT.faint(), "(none)");
        }
        for (int r = 0; r < t.rows().size(); r++) {
            b.append('\n');
            List<Object> row = t.rows().get(r);
            for (int c = 0; c < columns.size(); c++) {
                Object cell = c < row.size() ? row.get(c) : null;
                String text = texts.get(r).get(c);
                int room = width[c] - columnLength(text);
                boolean last = c == columns.size() - 1;
                if (c > 0) {
                    b.append(GAP);
                }
                if (numeric[c]) {
                    pad(b, room);
                    b.styled(cellStyle(cell), text);
                } else {
                    b.styled(cellStyle(cell), text);
                    if (!last) {
                        pad(b, room);
                    }
                }
            }
        }
        return b.toAttributedString();
    }

    /** Narrows the widest columns until the row fits in {@code room}, or no column can give more. */
    private static void fit(int[] width, List<String> columns, int room) {
        while (true) {
            int total = GAP.length() * (width.length - 1);
            for (int w : width) {
                total += w;
            }
            if (total <= room) {
                return;
            }
            int widest = -1;
            for (int c = 1; c < width.length; c++) {     // the first column names the row: it stays whole
                int floor = Math.max(6, columnLength(columns.get(c)));
                if (width[c] > floor && (widest < 0 || width[c] > width[widest])) {
                    widest = c;
                }
            }
            if (widest < 0) {
                return;
            }
            int next = 0;   // the next widest: columns are narrowed together, the widest first
            for (int c = 1; c < width.length; c++) {
                if (c != widest && width[c] < width[widest]) {
                    next = Math.max(next, width[c]);
                }
            }
            int floor = Math.max(6, columnLength(columns.get(widest)));
            width[widest] -= Math.max(1, Math.min(total - room, width[widest] - Math.max(next, floor)));
        }
    }

    private static String cut(String text, int width) {
        return columnLength(text) <= width ? text
                : new AttributedString(text).columnSubSequence(0, width - 1).toString() + "…";
    }

    private static String cellText(Object cell) {
        Object v = cell instanceof Table.Cell c ? c.value() : cell;
        if (v == null) {
            return "-";
        }
        if (v instanceof java.time.Instant at) {
            return Clock.CLOCK.format(at);     // JSON has the ISO instant; a person reads the local time
        }
        return String.valueOf(v).replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
    }

    /** A column whose every value is a number (nulls aside) is right-aligned. */
    private static boolean numericColumn(Table t, int column) {
        boolean any = false;
        for (List<Object> row : t.rows()) {
            Object cell = column < row.size() ? row.get(column) : null;
            Object v = cell instanceof Table.Cell c ? c.value() : cell;
            if (v == null) {
                continue;
            }
            if (!(v instanceof Number)) {
                return false;
            }
            any = true;
        }
        return any;
    }

    private static AttributedStyle cellStyle(Object cell) {
        return cell instanceof Table.Cell c ? style(c.severity()) : AttributedStyle.DEFAULT;
    }

    private static AttributedStyle style(Severity severity) {
        return switch (severity) {
            case OK -> AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN);
            case WARN -> AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW);
            case ERROR -> AttributedStyle.DEFAULT.foreground(AttributedStyle.RED);
            case INFO -> AttributedStyle.DEFAULT;
        };
    }

    private static int columnLength(String s) {
        return new AttributedString(s).columnLength();
    }

    private static void pad(AttributedStringBuilder b, int n) {
        for (int i = 0; i < n; i++) {
            b.append(' ');
        }
    }
}

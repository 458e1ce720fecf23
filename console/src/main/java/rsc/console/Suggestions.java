package rsc.console;

import org.jline.reader.Buffer;
import org.jline.reader.History;
import org.jline.reader.LineReader;
import org.jline.reader.LineReader.SuggestionType;
import org.jline.reader.Widget;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Fish-style history autosuggestions beside the usage tail tip ({@link UsageTips}), as iredis shows them. JLine's
 * reader shows one suggestion type at a time, and its {@code AutosuggestionWidgets} would take the usage tip into the
 * line as if it came from history; so after each edit this picks: the rest of the newest history line that starts
 * with what is typed (greyed; Right arrow, Ctrl-F, End or Ctrl-E takes it, Alt-F one word of it), else the usage.
 * It reads the reader's {@link FilteringHistory}: a line holding a secret was never kept, so it is never offered.
 */
final class Suggestions {

    /** How far back JLine's own HISTORY rendering looks: a match found here is the one it shows. */
    private static final int SCANNED = 200;

    /** Widgets that change the line (TailTipWidgets' own among them): the choice is made again after each. */
    private static final List<String> EDITS = List.of(LineReader.SELF_INSERT, LineReader.BACKWARD_DELETE_CHAR,
            LineReader.DELETE_CHAR, LineReader.DELETE_CHAR_OR_LIST, LineReader.BACKWARD_KILL_WORD,
            LineReader.KILL_WORD, LineReader.KILL_LINE, LineReader.KILL_WHOLE_LINE, LineReader.BACKWARD_KILL_LINE,
            LineReader.YANK, LineReader.BEGIN_PASTE, LineReader.EXPAND_OR_COMPLETE, LineReader.COMPLETE_WORD,
            LineReader.UP_LINE_OR_HISTORY, LineReader.DOWN_LINE_OR_HISTORY, LineReader.UP_HISTORY,
            LineReader.DOWN_HISTORY, LineReader.REDISPLAY, LineReader.ACCEPT_LINE);

    private final LineReader reader;
    /** The usage tip TailTipWidgets set last: JLine's HISTORY rendering writes its match over the reader's. */
    private String usage = "";

    private Suggestions(LineReader reader) {
        this.reader = reader;
    }

    /** Turns history suggestions on beside the tail tip; call after {@link UsageTips#enable}, whose widgets it wraps. */
    static void enable(LineReader reader) {
        Suggestions s = new Suggestions(reader);
        Map<String, Widget> widgets = reader.getWidgets();
        for (String name : EDITS) {
            Widget edit = widgets.get(name);
            if (edit != null) {
                widgets.put(name, () -> s.after(edit));
            }
        }
        Widget redisplay = widgets.get(LineReader.REDISPLAY);
        s.accepting(widgets, LineReader.FORWARD_CHAR, false, redisplay);
        s.accepting(widgets, LineReader.END_OF_LINE, false, redisplay);
        s.accepting(widgets, LineReader.FORWARD_WORD, true, redisplay);
    }

    private boolean after(Widget edit) {
        if (reader.getAutosuggestion() == SuggestionType.HISTORY) {
            reader.setTailTip(usage);   // what TailTipWidgets works from, and shows if the usage is chosen
        }
        boolean done = edit.apply();
        usage = reader.getTailTip();
        reader.setAutosuggestion(rest(reader.getBuffer().toString()).isEmpty()
                ? SuggestionType.TAIL_TIP : SuggestionType.HISTORY);
        return done;
    }

    /** {@code name} takes the shown history suggestion (one word of it if {@code word}) at the end of the line. */
    private void accepting(Map<String, Widget> widgets, String name, boolean word, Widget redisplay) {
        Widget move = widgets.get(name);
        widgets.put(name, () -> {
            Buffer line = reader.getBuffer();
            String rest = reader.getAutosuggestion() == SuggestionType.HISTORY && line.cursor() == line.length()
                    ? rest(line.toString()) : "";
            if (rest.isEmpty()) {
                return move.apply();
            }
            line.write(word ? firstWord(rest) : rest);
            return redisplay.apply();   // the usage of the line as it now is, and the next choice
        });
    }

    /** What the newest history line starting with {@code typed} adds to it; empty when none or it is the same. */
    private String rest(String typed) {
        if (typed.isEmpty()) {
            return "";
        }
        History history = reader.getHistory();
        Iterator<History.Entry> newestFirst = history.reverseIterator(history.last());
        for (int i = 0; i < SCANNED && newestFirst.hasNext(); i++) {
            String line = newestFirst.next().line();
            if (line.startsWith(typed)) {
                return line.substring(typed.length());
            }
        }
        return "";
    }

    private static String firstWord(String rest) {
        int i = 0;
        while (i < rest.length() && rest.charAt(i) == ' ') {
            i++;
        }
        while (i < rest.length() && rest.charAt(i) != ' ') {
            i++;
        }
        return rest.substring(0, i);
    }
}

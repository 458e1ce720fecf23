package rsc.testing;

import rsc.backend.Progress;
import rsc.result.Block;
import rsc.result.CommandResult;
import rsc.result.Message;
import rsc.result.Table;
import rsc.session.Interaction;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** An {@link Interaction} for tests: no terminal, answers confirmations as told, keeps every line shown. */
public final class RecordingInteraction implements Interaction {

    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    private final List<String> progress = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean answer;

    public void answerConfirmations(boolean yes) {
        this.answer = yes;
    }

    @Override
    public boolean interactive() {
        return false;
    }

    @Override
    public boolean confirm(String question) {
        lines.add("? " + question);
        return answer;
    }

    @Override
    public Progress progress() {
        return progress::add;
    }

    @Override
    public void show(String commandLine, CommandResult result, boolean json) {
        lines.addAll(render(result));
    }

    @Override
    public void notice(Message message) {
        lines.add(message.text());
    }

    @Override
    public void error(String line) {
        lines.add("error: " + line);
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    public List<String> progressLines() {
        return List.copyOf(progress);
    }

    /** Plain text of a result: messages as they are, table rows as cells joined by " | ". */
    public static List<String> render(CommandResult result) {
        List<String> out = new ArrayList<>();
        for (Block b : result.blocks()) {
            if (b instanceof Message m) {
                out.add(m.severity().name().toLowerCase() + ": " + m.text());
            } else if (b instanceof Table all) {
                Table t = all.forText();
                out.add("## " + t.title());
                out.add(String.join(" | ", t.columns()));
                for (List<Object> row : t.rows()) {
                    out.add(String.join(" | ", row.stream().map(c -> c == null ? "-" : String.valueOf(c)).toList()));
                }
            }
        }
        return out;
    }
}

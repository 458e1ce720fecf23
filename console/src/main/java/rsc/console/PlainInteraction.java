package rsc.console;

import rsc.backend.Progress;
import rsc.result.CommandResult;
import rsc.result.Message;
import rsc.session.Interaction;

import java.io.PrintStream;

/**
 * The {@link Interaction} of scripts, {@code -c} and piped input: no terminal, no colour, nobody to answer.
 * Results go to {@code out}; echoes, progress and errors go to {@code err}, so {@code out} stays parseable.
 */
public final class PlainInteraction implements Interaction {

    private final PrintStream out;
    private final PrintStream err;
    private final TextRenderer text = new TextRenderer();
    private JsonRenderer json; // built on first JSON output: Jackson costs ~100 ms of start-up
    private final Progress progress;

    public PlainInteraction(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
        this.progress = new ThrottledProgress(err);
    }

    @Override
    public boolean interactive() {
        return false;
    }

    @Override
    public boolean confirm(String question) {
        return false;
    }

    @Override
    public Progress progress() {
        return progress;
    }

    /** The JSON documents of this invocation's commands, printed as one by {@link #finish}. */
    private final java.util.List<com.fasterxml.jackson.databind.node.ObjectNode> documents = new java.util.ArrayList<>();

    @Override
    public void show(String commandLine, CommandResult result, boolean asJson) {
        if (asJson) {
            synchronized (documents) {
                documents.add(json().document(commandLine, result));
            }
            return;
        }
        if (!result.blocks().isEmpty()) {
            out.println(text.render(result));
        }
        out.flush();
    }

    /** Prints the invocation's one JSON document, when it produced any (the run is over). */
    public void finish() {
        synchronized (documents) {
            if (!documents.isEmpty()) {
                out.println(json().renderAll(documents));
                documents.clear();
            }
        }
        out.flush();
    }

    @Override
    public void notice(Message message) {
        err.println(text.message(message));
        err.flush();
    }

    @Override
    public void error(String line) {
        out.flush();
        err.println("error: " + line);
        err.flush();
    }

    private synchronized JsonRenderer json() {
        if (json == null) {
            json = new JsonRenderer(false);
        }
        return json;
    }
}

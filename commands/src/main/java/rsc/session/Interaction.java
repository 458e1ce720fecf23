package rsc.session;

import rsc.backend.Progress;
import rsc.result.CommandResult;
import rsc.result.Message;

/** What the engine needs from whoever runs it (the terminal, a script, a test): confirmation, progress, output. */
public interface Interaction {

    /** True when a person answers at a terminal. */
    boolean interactive();

    /** Asks a yes/no question; false when nobody can answer. */
    boolean confirm(String question);

    /** A transient progress line for long work. */
    Progress progress();

    /** Shows a command's result, as tables or as one JSON document. */
    void show(String commandLine, CommandResult result, boolean json);

    /** Shows a line outside any command's output (script echoes, notices). */
    void notice(Message message);

    /** Shows a failure line: {@code error: ...}. */
    void error(String line);
}

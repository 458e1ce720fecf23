package rsc.ops;

import rsc.result.CommandResult;
import rsc.result.Table;

import java.util.ArrayList;
import java.util.List;

/** The steps a command would take, collected by its planner for {@code --dry-run}; nothing is executed. */
public final class Plan {

    private record Step(String target, String call) {
    }

    private final String title;
    private final List<Step> steps = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    public Plan(String title) {
        this.title = title;
    }

    /** A call to the backend (Docker API or process). */
    public Plan backend(String backend, List<String> calls) {
        calls.forEach(c -> steps.add(new Step(backend, c)));
        return this;
    }

    /** A Redis or Sentinel command sent to a node. */
    public Plan redis(String node, String command) {
        steps.add(new Step(node, command));
        return this;
    }

    /** A wait the command would do. */
    public Plan await(String what) {
        steps.add(new Step("rsc", "wait until " + what));
        return this;
    }

    public Plan note(String text) {
        notes.add(text);
        return this;
    }

    public CommandResult result() {
        Table.Builder t = Table.of("plan: " + title + " (dry run: nothing was changed)", "step", "to", "call");
        for (int i = 0; i < steps.size(); i++) {
            t.row(i + 1, steps.get(i).target(), steps.get(i).call());
        }
        CommandResult.Builder b = CommandResult.builder().add(t.build());
        notes.forEach(b::info);
        return b.build();
    }
}

package rsc.testing;

import rsc.session.Engine;
import rsc.session.Outcome;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The two ways a test bed runs a line: it must succeed (showing everything when not), or it must fail. */
final class EngineLines {

    private EngineLines() {
    }

    static Outcome ok(Engine engine, RecordingInteraction ui, String line) {
        Outcome o = engine.execute(line);
        if (o.result() != null) {
            ui.show(line, o.result(), false);
        }
        if (!o.ok()) {
            fail("'" + line + "' failed: " + (o.error() != null ? o.error().getMessage() : "result marked failed")
                    + "\n" + String.join("\n", ui.lines()));
        }
        return o;
    }

    static Outcome fails(Engine engine, String line) {
        Outcome o = engine.execute(line);
        assertTrue(!o.ok(), "'" + line + "' should have failed");
        return o;
    }
}

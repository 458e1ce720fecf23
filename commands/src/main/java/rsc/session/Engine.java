package rsc.session;

import rsc.backend.BackendFactory;
import rsc.command.CommandKind;
import rsc.command.CommandTable;
import rsc.command.Invocation;
import rsc.command.LineParser;
import rsc.command.RscException;
import rsc.commands.HelpText;
import rsc.result.CommandResult;

/**
 * Parses and runs lines against one {@link Session}. Every failure comes back as a one-line
 * {@link RscException} inside the {@link Outcome}; nothing here prints.
 */
public final class Engine implements AutoCloseable {

    private final CommandTable table;
    private final LineParser parser;
    private final Session session;

    public Engine(Settings settings, Interaction ui, CommandTable table, BackendFactory backends) {
        this.table = table;
        this.parser = new LineParser(table);
        this.session = new Session(settings, ui, table, backends);
        session.attach(this);
    }

    public CommandTable table() {
        return table;
    }

    public Session session() {
        return session;
    }

    /** Parses a line without running it (scripts check usage before they start). */
    public Invocation parse(String line) {
        return parser.parse(line);
    }

    /** Parses and runs one line. */
    public Outcome execute(String line) {
        Invocation inv;
        try {
            inv = parser.parse(line);
        } catch (RscException e) {
            return new Outcome(line, null, null, e);
        }
        if (inv == null) {
            return Outcome.blank(line);
        }
        return run(inv);
    }

    /** Runs a parsed line. */
    public Outcome run(Invocation inv) {
        if (inv.flag("help")) {
            return new Outcome(inv.line(), inv, HelpText.forCommand(inv.spec(), inv.path()), null);
        }
        session.commandStarting();
        boolean dryRun = inv.flag("dry-run");
        try {
            CommandResult result = (dryRun ? inv.spec().planner() : inv.spec().handler()).run(inv, session);
            if (dryRun) {
                return new Outcome(inv.line(), inv, result, null);
            }
            if (inv.spec().kind() == CommandKind.CHANGES) {
                session.topology().refreshSoon();
            }
            return new Outcome(inv.line(), inv, result == null ? CommandResult.empty() : result, null);
        } catch (Exception | LinkageError | StackOverflowError e) {
            if (inv.spec().kind() == CommandKind.CHANGES) {
                session.topology().refreshSoon();
            }
            return new Outcome(inv.line(), inv, null, ErrorTranslator.translate(e));
        }
    }

    /** Whether this line's output should be JSON. */
    public boolean json(Outcome outcome) {
        return session.jsonOutput() || (outcome.invocation() != null && outcome.invocation().json());
    }

    @Override
    public void close() {
        session.close();
    }
}

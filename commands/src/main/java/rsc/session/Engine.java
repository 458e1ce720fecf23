package rsc.session;

import rsc.backend.Settings;
import rsc.backend.BackendFactory;
import rsc.command.CommandKind;
import rsc.command.CommandSpec;
import rsc.command.CommandTable;
import rsc.command.Invocation;
import rsc.command.LineParser;
import rsc.error.RscException;
import rsc.result.CommandResult;

/**
 * Parses and runs lines against one {@link Session}. Every failure comes back as a one-line
 * {@link RscException} inside the {@link Outcome}; nothing here prints.
 */
public final class Engine implements AutoCloseable {

    private final CommandTable<Session> table;
    private final LineParser parser;
    private final Session session;

    /** @param probe how the topology cache finds each group's master and health ({@code GroupHealth::probe}) */
    public Engine(Settings settings, Interaction ui, CommandTable<Session> table, BackendFactory backends, GroupProbe probe) {
        this(settings, ui, table, backends, probe, java.util.Optional.empty());
    }

    /** @param threads threads lent for the session's tasks by a longer-lived pool (a resident console's) */
    public Engine(Settings settings, Interaction ui, CommandTable<Session> table, BackendFactory backends, GroupProbe probe,
                  java.util.Optional<java.util.concurrent.Executor> threads) {
        this.table = table;
        this.parser = new LineParser(table);
        this.session = new Session(settings, ui, table, backends, probe, threads);
        session.attach(this);
    }

    public CommandTable<Session> table() {
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
            // 'CMD --help' is 'help CMD': the table's own help command answers, so the engine knows no help text
            try {
                Invocation help = parser.parse("help " + inv.path());
                return new Outcome(inv.line(), inv, table.declaration(help).handler().run(help, session), null);
            } catch (Exception e) {
                return new Outcome(inv.line(), inv, null, ErrorTranslator.translate(e));
            }
        }
        session.console().commandStarting();
        boolean dryRun = inv.flag("dry-run");
        try {
            CommandSpec<Session> spec = table.declaration(inv);
            CommandResult result = (dryRun ? spec.planner() : spec.handler()).run(inv, session);
            if (dryRun) {
                return new Outcome(inv.line(), inv, result, null);
            }
            if (inv.spec().kind() == CommandKind.CHANGES) {
                session.topology().refreshSoon();
            }
            return new Outcome(inv.line(), inv, result == null ? CommandResult.empty() : result, null);
        } catch (Exception | LinkageError | StackOverflowError thrown) {
            Throwable e = thrown;
            if (inv.spec().kind() == CommandKind.CHANGES) {
                session.topology().refreshSoon();
                var lost = session.backend().capability(rsc.backend.Machines.class).flatMap(rsc.backend.Machines::controlLost);
                if (lost.isPresent() && !String.valueOf(e.getMessage()).startsWith("swarm: no leader")) {
                    // on the minority side of a partitioned swarm, say that first: it is why nothing can change here
                    e = new RscException(lost.get() + "; " + ErrorTranslator.translate(e).getMessage(), e);
                }
            }
            return new Outcome(inv.line(), inv, null, ErrorTranslator.translate(e));
        }
    }

    /** Whether this line's output should be JSON. */
    public boolean json(Outcome outcome) {
        return session.console().jsonOutput() || (outcome.invocation() != null && outcome.invocation().json());
    }

    @Override
    public void close() {
        session.close();
    }
}

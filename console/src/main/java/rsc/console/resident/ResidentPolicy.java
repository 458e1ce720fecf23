package rsc.console.resident;

import rsc.command.CommandKind;
import rsc.command.CommandTable;
import rsc.command.Invocation;
import rsc.command.LineParser;
import rsc.error.RscException;
import rsc.command.Tokenizer;
import rsc.console.Arguments;

import java.util.List;
import java.util.Optional;

/**
 * Which command lines the resident console answers: {@code -c} one-shots whose every statement only reads state or
 * changes the session. A command that changes the topology, {@code source} (which runs a script of anything) and
 * a command that writes a file ({@code attach}, {@code detach}, {@code events --export}) runs in its own JVM as before, so its Ctrl-C, its progress and its failure stay exactly those of a one-shot. A
 * line that does not parse is answered here too: its one-line error is the same wherever it is printed.
 */
public final class ResidentPolicy {

    private final LineParser parser;

    public ResidentPolicy(CommandTable<?> table) {
        this.parser = new LineParser(table);
    }

    /** Empty when the resident console runs these arguments; else why not, in a few words. */
    public Optional<String> refusal(List<String> args) {
        Arguments a;
        try {
            a = Arguments.parse(args);
        } catch (RscException e) {
            return Optional.empty();
        }
        if (a.commands() == null) {
            return Optional.of("not a -c one-shot");
        }
        for (String statement : Tokenizer.statements(a.commands())) {
            Invocation inv;
            try {
                inv = parser.parse(statement);
            } catch (RscException e) {
                continue;
            }
            if (inv == null || inv.flag("help")) {
                continue;
            }
            if (inv.spec().kind() == CommandKind.CHANGES) {
                return Optional.of("'" + inv.path() + "' changes the topology");
            }
            if (inv.spec().name().equals("source")) {
                return Optional.of("'source' runs a script");
            }
            if (inv.spec().name().equals("attach") || inv.spec().name().equals("detach")) {
                return Optional.of("'" + inv.path() + "' writes the attached groups' file");
            }
            if (inv.has("export")) {
                return Optional.of("'" + inv.path() + " --export' writes a file");
            }
        }
        return Optional.empty();
    }
}

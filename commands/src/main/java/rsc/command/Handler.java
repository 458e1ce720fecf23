package rsc.command;

import rsc.result.CommandResult;
import rsc.session.Session;

/** What a command does once its line has parsed; throws {@link RscException} for anything the user should read. */
@FunctionalInterface
public interface Handler {
    CommandResult run(Invocation invocation, Session session) throws Exception;
}

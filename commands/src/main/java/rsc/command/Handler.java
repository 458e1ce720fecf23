package rsc.command;

import rsc.result.CommandResult;

/**
 * What a command does once its line has parsed; throws {@link rsc.error.RscException} for anything the user should
 * read. {@code C} is what the command runs against (the console's session): the table names no layer above it.
 */
@FunctionalInterface
public interface Handler<C> {
    CommandResult run(Invocation invocation, C context) throws Exception;
}

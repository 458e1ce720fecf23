/**
 * The command table: one declaration per command ({@link rsc.command.CommandSpec}) from which parsing,
 * validation, help and completion are all derived. Nothing here knows about terminals, nor about the session the
 * handlers run against: the table is generic in that context.
 */
package rsc.command;

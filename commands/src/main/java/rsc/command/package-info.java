/**
 * The command table: one declaration per command ({@link rsc.command.CommandSpec}) from which parsing,
 * validation, help and completion are all derived. Nothing here knows about terminals.
 */
package rsc.command;

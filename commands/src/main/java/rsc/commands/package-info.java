/** The command declarations, one small class per family, assembled into the table by {@link rsc.commands.Catalog}. */
package rsc.commands;

/**
 * The terminal side of rsc: argument handling ({@link rsc.console.Main}), the JLine REPL, completion derived from
 * the command table, and text/JSON rendering. The engine ({@code rsc.session}) knows nothing of any of it.
 */
package rsc.console;

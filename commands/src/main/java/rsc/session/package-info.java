/**
 * One console session: its services ({@code Session}), what the operator set ({@code ConsoleState}), password lookups
 * ({@code NodePasswords}) and dispatch ({@code Engine}); below the operations and the catalog, which it never imports.
 */
package rsc.session;

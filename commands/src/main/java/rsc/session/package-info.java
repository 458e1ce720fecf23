/** One console session: its state (current group, output mode), its services (backend, Redis gateway) and dispatch. */
package rsc.session;

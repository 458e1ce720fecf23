/**
 * The embedded default: nodes are {@code redis-server} daemons on this machine, with their state (config, pid,
 * data, log) under a state directory, so a later console finds what an earlier one started.
 */
package rsc.backend.local;

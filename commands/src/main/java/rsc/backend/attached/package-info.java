/**
 * Groups rsc did not create, adopted by their sentinels: their nodes are listed from what the sentinels report,
 * so every read command, events, doctor and failover work on them, while nothing places or removes their nodes.
 */
package rsc.backend.attached;

/** Immutable snapshots of what runs: nodes, endpoints, roles. */
package rsc.model;

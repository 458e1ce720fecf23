package rsc.backend;

import rsc.model.Node;

import java.util.List;

/**
 * What {@link Backend#groups()} and {@link Backend#nodes(String) nodes(null)} answer, from one reading: a command that
 * needs both (every group's sentinels) asks once, and on Swarm one listing of the services costs a one-shot ~20 ms.
 */
public record GroupsAndNodes(List<String> groups, List<Node> nodes) {
}

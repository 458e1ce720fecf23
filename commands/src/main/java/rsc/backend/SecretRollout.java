package rsc.backend;

import rsc.model.Node;
import rsc.model.Secret;

import java.util.List;

/**
 * A backend whose nodes read the group's password when they start from something that cannot be changed in place
 * (Swarm: a Docker secret is immutable, and swapping the one a service mounts restarts its task). A password rotation
 * stages the new password, restarts every node onto it one at a time (the op chooses the order: the master last,
 * after a failover) and retires the old one. {@link Backend#secretRollout()} gives it; the local backend has none:
 * its nodes keep what Redis and Sentinel rewrite in their own configs.
 */
public interface SecretRollout {

    /** Makes the new password available to the group's nodes (again: a second call with it changes nothing). */
    void stage(String group, Secret next, Progress progress);

    /** True when the node already runs on the staged password (a resumed rotation skips it). */
    boolean runsStaged(Node node);

    /** Restarts the node on the staged password; returns once it runs again and answers. */
    Node restartStaged(Node node, Progress progress);

    /** Removes what held the old password, once no node uses it. */
    void retire(String group, Progress progress);

    /** What {@link #stage} would do, for {@code --dry-run}. */
    List<String> planStage(String group);

    /** What {@link #restartStaged} would do. */
    List<String> planRestartStaged(Node node);

    /** What {@link #retire} would do. */
    List<String> planRetire(String group);
}

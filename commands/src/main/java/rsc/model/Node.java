package rsc.model;

/**
 * One node as its backend placed it.
 *
 * @param name      unique name, {@code GROUP-redis-N} or {@code GROUP-sentinel-N}
 * @param group     the Sentinel master name of the group it belongs to
 * @param kind      Redis or Sentinel
 * @param index     N in the name
 * @param announced the address other nodes and the sentinels know it by
 * @param reach     the address the console connects to (differs from {@code announced} on Swarm)
 * @param state     running or not, as the backend sees it
 * @param detail    backend detail: a pid, or a task and container id
 * @param host      the machine it runs on ({@link Host#NONE} where the backend has one machine only)
 */
public record Node(String name, String group, NodeKind kind, int index, Endpoint announced, Endpoint reach,
                   NodeState state, String detail, Host host) {

    /** A node on the one machine of a backend that has no other. */
    public Node(String name, String group, NodeKind kind, int index, Endpoint announced, Endpoint reach,
                NodeState state, String detail) {
        this(name, group, kind, index, announced, reach, state, detail, Host.NONE);
    }

    /** The canonical node name for a group, kind and index. */
    public static String nameOf(String group, NodeKind kind, int index) {
        return group + "-" + kind.word() + "-" + index;
    }

    public boolean isRedis() {
        return kind == NodeKind.REDIS;
    }

    public boolean isSentinel() {
        return kind == NodeKind.SENTINEL;
    }
}

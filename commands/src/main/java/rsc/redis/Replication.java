package rsc.redis;

import rsc.model.Endpoint;
import rsc.model.Role;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A node's {@code INFO replication}, parsed.
 *
 * @param role         master or replica
 * @param master       for a replica: the master it follows
 * @param linkUp       for a replica: {@code master_link_status:up}
 * @param offset       {@code master_repl_offset} (for a replica, how far it has read)
 * @param replicas     for a master: its connected replicas
 * @param replicaPriority not in this section; filled where known, else -1
 * @param goodReplicas {@code min_slaves_good_slaves}: the replicas a master counts towards {@code min-replicas-to-write}
 *                     (reported only while that is set), else -1
 */
public record Replication(Role role, Optional<Endpoint> master, boolean linkUp, long offset, List<ReplicaLink> replicas,
                          long linkDownSeconds, long goodReplicas) {

    /** One {@code slaveN:ip=...,port=...,state=online,offset=...,lag=...} line of a master. */
    public record ReplicaLink(Endpoint address, String state, long offset, long lagSeconds) {
    }

    public boolean isMaster() {
        return role == Role.MASTER;
    }

    public static Replication parse(String info) {
        Map<String, String> f = InfoParser.parse(info);
        Role role = Role.parse(f.get("role"));
        Optional<Endpoint> master = Optional.empty();
        if (f.containsKey("master_host")) {
            master = Optional.of(new Endpoint(f.get("master_host"), (int) num(f.get("master_port"))));
        }
        List<ReplicaLink> links = new ArrayList<>();
        for (Map.Entry<String, String> e : f.entrySet()) {
            if (e.getKey().matches("slave\\d+")) {
                Map<String, String> kv = new java.util.HashMap<>();
                for (String part : e.getValue().split(",")) {
                    int eq = part.indexOf('=');
                    if (eq > 0) {
                        kv.put(part.substring(0, eq), part.substring(eq + 1));
                    }
                }
                links.add(new ReplicaLink(new Endpoint(kv.getOrDefault("ip", "?"), (int) num(kv.get("port"))),
                        kv.getOrDefault("state", "?"), num(kv.get("offset")), num(kv.get("lag"))));
            }
        }
        long offset = role == Role.REPLICA && f.containsKey("slave_repl_offset")
                ? num(f.get("slave_repl_offset")) : num(f.get("master_repl_offset"));
        return new Replication(role, master, "up".equals(f.get("master_link_status")), offset, List.copyOf(links),
                num(f.get("master_link_down_since_seconds")),
                f.containsKey("min_slaves_good_slaves") ? num(f.get("min_slaves_good_slaves")) : -1);
    }

    static long num(String s) {
        if (s == null) {
            return -1;
        }
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}

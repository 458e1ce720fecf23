package rsc.redis;

import rsc.model.Endpoint;

import java.util.List;
import java.util.Map;

/**
 * A replica or another sentinel as one sentinel lists it ({@code SENTINEL REPLICAS} / {@code SENTINEL SENTINELS}).
 *
 * @param address     as announced
 * @param flags       {@code slave}, {@code s_down}, {@code disconnected}, ...
 * @param linkUp      for a replica: {@code master-link-status:ok}
 * @param offset      for a replica: {@code slave-repl-offset}
 * @param priority    for a replica: {@code slave-priority}
 * @param masterHost  for a replica: the master it reports following
 * @param raw         every field, for the raw tables of {@code sentinel replicas|sentinels}
 */
public record SentinelPeer(Endpoint address, List<String> flags, boolean linkUp, long offset, long priority,
                           Endpoint masterHost, Map<String, String> raw) {

    static SentinelPeer parse(Map<String, String> m) {
        String mh = m.get("master-host");
        return new SentinelPeer(new Endpoint(m.getOrDefault("ip", "?"), (int) Replication.num(m.get("port"))),
                List.of(m.getOrDefault("flags", "").split(",")),
                "ok".equals(m.get("master-link-status")),
                Replication.num(m.get("slave-repl-offset")),
                Replication.num(m.get("slave-priority")),
                mh == null ? null : new Endpoint(mh, (int) Replication.num(m.get("master-port"))),
                Map.copyOf(m));
    }

    /** Milliseconds since this sentinel last read the replica's INFO ({@code info-refresh}); -1 when not said. */
    public long infoRefreshMs() {
        return Replication.num(raw.get("info-refresh"));
    }

    public boolean down() {
        return flags.contains("s_down") || flags.contains("o_down") || flags.contains("disconnected");
    }
}

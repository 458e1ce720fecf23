package rsc.redis;

import rsc.model.Endpoint;

import java.util.List;
import java.util.Map;

/**
 * One sentinel's {@code SENTINEL MASTER} view of a group.
 *
 * @param address        where this sentinel believes the master is
 * @param flags          {@code master}, {@code s_down}, {@code o_down}, {@code failover_in_progress}, ...
 * @param replicas       {@code num-slaves}
 * @param otherSentinels {@code num-other-sentinels}
 * @param quorum         {@code quorum}
 * @param configEpoch    {@code config-epoch}
 * @param downAfterMs    {@code down-after-milliseconds}
 * @param failoverTimeout {@code failover-timeout}
 * @param parallelSyncs  {@code parallel-syncs}
 */
public record SentinelMaster(String name, Endpoint address, List<String> flags, int replicas, int otherSentinels,
                             int quorum, long configEpoch, long downAfterMs, long failoverTimeout,
                             int parallelSyncs) {

    static SentinelMaster parse(Map<String, String> m) {
        return new SentinelMaster(m.get("name"),
                new Endpoint(m.getOrDefault("ip", "?"), (int) Replication.num(m.get("port"))),
                List.of(m.getOrDefault("flags", "").split(",")),
                (int) Replication.num(m.get("num-slaves")),
                (int) Replication.num(m.get("num-other-sentinels")),
                (int) Replication.num(m.get("quorum")),
                Replication.num(m.get("config-epoch")),
                Replication.num(m.get("down-after-milliseconds")),
                Replication.num(m.get("failover-timeout")),
                (int) Replication.num(m.get("parallel-syncs")));
    }

    public boolean down() {
        return flags.contains("s_down") || flags.contains("o_down") || flags.contains("disconnected");
    }

    public boolean failoverInProgress() {
        return flags.contains("failover_in_progress") || flags.stream().anyMatch(f -> f.startsWith("promoted"));
    }
}

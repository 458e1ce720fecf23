package rsc.redis;

import rsc.error.RscException;
import rsc.model.Endpoint;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link SentinelReads} of one sentinel over a {@link PlainReads} connection, parsed as the Lettuce path parses. */
record PlainSentinel(PlainReads reads, Endpoint endpoint) implements SentinelReads {

    @Override
    public Optional<Endpoint> masterAddress(String group) {
        List<Object> r = list(reads.askOne(endpoint, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", group), "GET-MASTER-ADDR-BY-NAME");
        if (r == null || r.size() < 2) {
            return Optional.empty();
        }
        return Optional.of(new Endpoint(String.valueOf(r.get(0)), (int) Replication.num(String.valueOf(r.get(1)))));
    }

    @Override
    public Optional<SentinelMaster> master(String group) {
        return master(reads.ask(endpoint, List.of(List.of("SENTINEL", "MASTER", group))).get(0));
    }

    @Override
    public String version() {
        return PlainReads.version(reads, endpoint);
    }

    @Override
    public CkQuorum ckquorum(String group) {
        return ckquorum(reads.ask(endpoint, List.of(List.of("SENTINEL", "CKQUORUM", group))).get(0));
    }

    @Override
    public List<SentinelPeer> replicas(String group) {
        return peers(reads.askOne(endpoint, "SENTINEL", "REPLICAS", group), "REPLICAS");
    }

    @Override
    public List<SentinelPeer> sentinels(String group) {
        return peers(reads.askOne(endpoint, "SENTINEL", "SENTINELS", group), "SENTINELS");
    }

    /** MASTER, CKQUORUM and maybe REPLICAS in one write; blocks the calling thread for the one round trip. */
    SentinelReport report(String group, boolean withReplicas) {
        List<List<String>> commands = new ArrayList<>(List.of(List.of("SENTINEL", "MASTER", group),
                List.of("SENTINEL", "CKQUORUM", group)));
        if (withReplicas) {
            commands.add(List.of("SENTINEL", "REPLICAS", group));
        }
        List<Object> replies = reads.ask(endpoint, commands);
        Optional<SentinelMaster> master = master(replies.get(0));
        if (master.isEmpty()) {
            return SentinelReport.NOT_MONITORED;
        }
        Optional<List<SentinelPeer>> replicas = Optional.empty();
        if (withReplicas && !(replies.get(2) instanceof RespError)) {
            replicas = Optional.of(peers(replies.get(2), "REPLICAS"));
        }
        return new SentinelReport(master, Optional.of(ckquorum(replies.get(1))), replicas);
    }

    private Optional<SentinelMaster> master(Object reply) {
        if (reply instanceof RespError e) {
            if (e.text().contains("No such master")) {
                return Optional.empty();
            }
            throw e;
        }
        return Optional.of(SentinelMaster.parse(fields(reply, "MASTER")));
    }

    private static CkQuorum ckquorum(Object reply) {
        if (reply instanceof RespError e) {
            return new CkQuorum(false, e.text());
        }
        return new CkQuorum(true, String.valueOf(reply));
    }

    private List<SentinelPeer> peers(Object reply, String command) {
        List<Object> all = list(reply, command);
        List<SentinelPeer> out = new ArrayList<>();
        for (Object one : all == null ? List.of() : all) {
            out.add(SentinelPeer.parse(fields(one, command)));
        }
        return List.copyOf(out);
    }

    /** A flat {@code [field, value, field, value, ...]} reply as a map (what Lettuce makes of it). */
    private Map<String, String> fields(Object reply, String command) {
        List<Object> flat = list(reply, command);
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; flat != null && i + 1 < flat.size(); i += 2) {
            m.put(String.valueOf(flat.get(i)), flat.get(i + 1) == null ? null : String.valueOf(flat.get(i + 1)));
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object reply, String command) {
        if (reply == null || reply instanceof List) {
            return (List<Object>) reply;
        }
        throw new RscException(endpoint + " answered SENTINEL " + command + " with '" + reply + "', not a list");
    }
}

package rsc.redis;

import rsc.error.RscException;
import rsc.model.Endpoint;

import java.util.List;

/** {@link NodeReads} of one data node over a {@link PlainReads} connection. */
record PlainNode(PlainReads reads, Endpoint endpoint) implements NodeReads {

    @Override
    public Replication replication() {
        Object r = reads.askOne(endpoint, "INFO", "replication");
        if (!(r instanceof String info)) {
            throw new RscException(endpoint + " answered INFO replication with '" + r + "', not text");
        }
        return Replication.parse(info);
    }

    @Override
    public String version() {
        return PlainReads.version(reads, endpoint);
    }

    @Override
    public String configGet(String name) {
        Object r = reads.askOne(endpoint, "CONFIG", "GET", name);
        if (r instanceof List<?> flat) {
            for (int i = 0; i + 1 < flat.size(); i += 2) {
                if (name.equalsIgnoreCase(String.valueOf(flat.get(i)))) {
                    return flat.get(i + 1) == null ? null : String.valueOf(flat.get(i + 1));
                }
            }
            return null;
        }
        throw new RscException(endpoint + " answered CONFIG GET " + name + " with '" + r + "', not a list");
    }

    @Override
    public java.util.SortedMap<String, String> configGetAll(String pattern) {
        Object r = reads.askOne(endpoint, "CONFIG", "GET", pattern);
        if (!(r instanceof List<?> flat)) {
            throw new RscException(endpoint + " answered CONFIG GET " + pattern + " with '" + r + "', not a list");
        }
        java.util.SortedMap<String, String> out = new java.util.TreeMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            out.put(String.valueOf(flat.get(i)), flat.get(i + 1) == null ? "" : String.valueOf(flat.get(i + 1)));
        }
        return out;
    }
}

package rsc.redis;

import java.util.LinkedHashMap;
import java.util.Map;

/** Reads the {@code key:value} lines of an {@code INFO} reply. */
final class InfoParser {

    private InfoParser() {
    }

    static Map<String, String> parse(String info) {
        Map<String, String> out = new LinkedHashMap<>();
        if (info == null) {
            return out;
        }
        for (String line : info.split("\r?\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                out.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        return out;
    }

    /** {@code redis_version} of a parsed {@code INFO server}; fails when the reply has none. */
    static String version(Map<String, String> server) {
        String v = server.get("redis_version");
        if (v == null || v.isBlank()) {
            throw new rsc.error.RscException("INFO server has no redis_version");
        }
        return v;
    }
}

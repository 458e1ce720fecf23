package rsc.testing;

import rsc.model.Endpoint;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** A fresh {@code redis-cli} per call (no rsc code involved): how a test checks what the operator would check. */
public final class RedisCli {

    private RedisCli() {
    }

    /** Output trimmed; {@code "(timeout)"} when the node does not answer within 5 s (a frozen node). */
    public static String run(Endpoint at, Optional<String> password, String... args) {
        List<String> cmd = new ArrayList<>(List.of("redis-cli", "-h", at.host(), "-p", String.valueOf(at.port())));
        cmd.addAll(List.of(args));
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().remove("REDISCLI_AUTH");    // no password means none, whatever the caller's environment
            password.ifPresent(pw -> pb.environment().put("REDISCLI_AUTH", pw));
            Process p = pb.start();
            p.getOutputStream().close();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "(timeout)";
            }
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (Exception e) {
            throw new AssertionError("redis-cli " + cmd + " (install redis-tools)", e);
        }
    }

    /** A flat {@code field value field value ...} reply (SENTINEL MASTER, one entry of SENTINEL REPLICAS) as a map. */
    public static Map<String, String> fields(List<String> lines) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i + 1 < lines.size(); i += 2) {
            out.put(lines.get(i).trim(), lines.get(i + 1).trim());
        }
        return out;
    }

    /** The values of one field in a reply that lists several flat entries (SENTINEL REPLICAS: every "ip"). */
    public static List<String> every(String reply, String field) {
        List<String> l = reply.lines().map(String::trim).toList();
        List<String> out = new ArrayList<>();
        for (int i = 0; i + 1 < l.size(); i++) {
            if (l.get(i).equals(field)) {
                out.add(l.get(i + 1));
            }
        }
        return out;
    }
}

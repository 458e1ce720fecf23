package rsc.events;

import rsc.result.Severity;

import java.util.Optional;

/** Reads Sentinel's pub/sub messages: which group, how severe. */
final class SentinelEventParser {

    private SentinelEventParser() {
    }

    /** The group a payload is about: after {@code @}, or the second word of a master event, or the first of a switch. */
    static String group(String channel, String payload) {
        String[] w = payload.split(" ");
        if (channel.equals("+switch-master") && w.length >= 1) {
            return w[0];
        }
        int at = java.util.Arrays.asList(w).indexOf("@");
        if (at >= 0 && at + 1 < w.length) {
            return w[at + 1];
        }
        if (w.length >= 2 && w[0].equals("master")) {
            return w[1];
        }
        return "";
    }

    static Optional<Severity> severity(String channel, String payload) {
        if (channel.startsWith("__sentinel__")) {
            return Optional.empty();
        }
        boolean aboutMaster = payload.startsWith("master ");
        return Optional.of(switch (channel) {
            case "+odown", "+tilt" -> Severity.ERROR;
            case "+sdown" -> aboutMaster ? Severity.ERROR : Severity.WARN;
            case "-sdown", "-odown", "-tilt", "+failover-end" -> Severity.OK;
            case "+switch-master" -> Severity.WARN;
            default -> channel.startsWith("-failover-abort") ? Severity.ERROR : Severity.INFO;
        });
    }
}

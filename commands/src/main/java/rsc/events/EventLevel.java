package rsc.events;

import rsc.result.Severity;

/**
 * How many events print above the prompt ({@code set events warnings|all|off}, per group or for all): a failover
 * is some twenty Sentinel events; {@code warnings} shows what went wrong and what came back (a handful of lines),
 * {@code events} keeps every one of them whatever is shown.
 */
public enum EventLevel {
    /** every event */
    ALL,
    /** warnings, errors and recoveries: not the informational steps in between */
    WARNINGS,
    /** none */
    OFF;

    public boolean shows(Severity severity) {
        return switch (this) {
            case ALL -> true;
            case WARNINGS -> severity != Severity.INFO;
            case OFF -> false;
        };
    }

    /** The word the operator types. */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

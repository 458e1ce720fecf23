package rsc.command;

/** Whether a command only reads state or changes the topology; replay, dry-run and confirmations key off it. */
public enum CommandKind {
    /** Reads state; safe to run at any time. */
    READS,
    /** Creates, scales, removes or reconfigures nodes. */
    CHANGES,
    /** Changes only the console's own session (current group, output mode, scripts). */
    SESSION
}

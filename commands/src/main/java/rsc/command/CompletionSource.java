package rsc.command;

/** Where live completion candidates for a value come from; the console maps each to a cached supplier. */
public enum CompletionSource {
    NONE, GROUPS, NODES, REDIS_NODES, SENTINEL_NODES, REDIS_COMMANDS, SERVICES, TASKS, FILES, COMMANDS
}

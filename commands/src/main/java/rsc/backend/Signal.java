package rsc.backend;

/** How a drill stops a node. */
public enum Signal {
    KILL, TERM, STOP, CONT
}

package rsc.model;

/** Whether the backend sees the node's process or task running; FROZEN: alive but stopped by a signal (pause). */
public enum NodeState {
    RUNNING, STARTING, STOPPED, FAILED, FROZEN;

    public boolean running() {
        return this == RUNNING;
    }
}

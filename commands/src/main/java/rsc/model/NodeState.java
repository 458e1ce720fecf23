package rsc.model;

/** Whether the backend sees the node's process or task running. */
public enum NodeState {
    RUNNING, STARTING, STOPPED, FAILED;

    public boolean running() {
        return this == RUNNING;
    }
}

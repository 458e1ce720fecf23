package rsc.backend;

/**
 * A backend whose nodes reach the console's machine at an address other than loopback (Swarm: the manager's address as
 * the swarm knows it; a container on the manager gets there through its gateway). An optional capability: a backend
 * without it runs its nodes on this machine, where 127.0.0.1 reaches the console. {@code restore} serves its file there.
 */
public interface ConsoleAddress {

    /** The address this backend's nodes connect to to reach a port the console listens on. */
    String consoleAddress();
}

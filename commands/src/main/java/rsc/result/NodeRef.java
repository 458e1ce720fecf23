package rsc.result;

/**
 * A node named in a table cell (a master, whom a replica follows): text shows its name (its address is in its own row)
 * or {@code host:port} when no node rsc knows is there, JSON an object {@code {"node","host","port"}}, so a script
 * never splits a string to find the port.
 *
 * @param node its name, or null when no node rsc knows is at that address
 */
public record NodeRef(String node, String host, int port) {

    @Override
    public String toString() {
        return node != null ? node : host + ":" + port;
    }
}

package rsc.model;

import rsc.error.UsageException;

/** A host and port, as one node knows another or as the console reaches it. */
public record Endpoint(String host, int port) {

    public static Endpoint parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new UsageException("'" + Names.printable(text) + "' is not HOST:PORT");
        }
        try {
            return new Endpoint(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new UsageException("'" + Names.printable(text) + "' is not HOST:PORT");
        }
    }

    // equals and hashCode by hand: a record's generated ones bootstrap through invokedynamic on first use, spinning
    // method-handle classes the class-data archive cannot hold; an Endpoint is the first map key of every one-shot.
    @Override
    public boolean equals(Object o) {
        return o instanceof Endpoint e && port == e.port && host.equals(e.host);
    }

    @Override
    public int hashCode() {
        return 31 * host.hashCode() + port;
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}

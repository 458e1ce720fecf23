package rsc.model;

import rsc.command.UsageException;

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

    @Override
    public String toString() {
        return host + ":" + port;
    }
}

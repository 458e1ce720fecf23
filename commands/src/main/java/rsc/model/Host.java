package rsc.model;

/**
 * The machine a node runs on, as its backend knows it: a Swarm node (id, address, state, availability), or
 * {@link #NONE} where the backend has one machine only (the local backend). Losing a machine loses every node on it,
 * so spreading a group and naming what a lost machine took with it are read from here, whatever the backend.
 *
 * @param id           the machine's id (a Swarm node id), empty for {@link #NONE}
 * @param address      the address the console reaches it at
 * @param state        {@code ready}, {@code down}, {@code unknown}, ... as the backend reports it
 * @param availability {@code active}, {@code pause} or {@code drain}
 */
public record Host(String id, String address, String state, String availability) {

    /** No machine known: every node is on the one machine rsc runs on. */
    public static final Host NONE = new Host("", "", "", "");

    public boolean known() {
        return !id.isEmpty();
    }

    /** True when the backend reports the machine lost (not merely drained). */
    public boolean down() {
        return known() && !"ready".equals(state);
    }

    /** The id cut to 12 characters, as {@code docker node ls} shows it. */
    public String shortId() {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    /** {@code abc123def456 (10.77.3.2)}, with the state when it is not ready and the availability when not active. */
    public String label() {
        if (!known()) {
            return "";
        }
        String note = down() ? ", " + state : "active".equals(availability) || availability.isEmpty() ? "" : ", " + availability;
        return shortId() + " (" + address + note + ")";
    }

    // equals and hashCode by hand, as Endpoint's (see there): no invokedynamic bootstrap on a one-shot's path.
    @Override
    public boolean equals(Object o) {
        return o instanceof Host h && id.equals(h.id) && address.equals(h.address) && state.equals(h.state)
                && availability.equals(h.availability);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }
}

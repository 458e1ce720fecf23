package rsc.backend;

import rsc.model.Host;

import java.util.List;

/**
 * A backend whose nodes run on several machines that an operator takes out of service and back (Swarm nodes:
 * {@code drain}, {@code activate}). An optional capability: the local backend, one machine, does not have it.
 */
public interface Machines {

    /** Every machine, as the backend sees it now. */
    List<Host> machines();

    /** The machine named by an id, an id prefix of at least 4 characters, or its address; one-line error otherwise. */
    Host machine(String idOrAddress);

    /** Sets whether new and moved tasks may run there: {@code active} or {@code drain}. */
    void setAvailability(Host machine, String availability);

    /**
     * Why the backend's picture of the machines is partial now (a Swarm manager that reaches no majority of the
     * managers: only this machine's nodes are known); empty while the backend sees every machine.
     */
    default java.util.Optional<String> controlLost() {
        return java.util.Optional.empty();
    }

    /** The backend calls {@link #setAvailability} makes, for {@code --dry-run}. */
    List<String> planAvailability(Host machine, String availability);
}

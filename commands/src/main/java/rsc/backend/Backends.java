package rsc.backend;

import rsc.backend.local.LocalBackend;
import rsc.backend.swarm.SwarmBackend;
import rsc.error.UsageException;
import rsc.backend.Settings;

/** Chooses the backend: {@code local}, {@code swarm}, or {@code auto} (swarm when a manager answers, else local). */
public final class Backends {

    private Backends() {
    }

    public static BackendFactory factory() {
        return Backends::open;
    }

    public static Backend open(Settings settings) {
        return switch (settings.backend()) {
            case "local" -> new LocalBackend(settings);
            case "swarm" -> new SwarmBackend(settings);
            case "auto" -> SwarmBackend.probe(settings) ? new SwarmBackend(settings) : new LocalBackend(settings);
            default -> throw new UsageException("unknown backend '" + rsc.model.Names.printable(settings.backend())
                    + "': use local, swarm or auto");
        };
    }
}

package rsc.backend;

import rsc.backend.local.LocalBackend;
import rsc.backend.swarm.EngineWatch;
import rsc.backend.swarm.SwarmBackend;
import rsc.error.UsageException;
import rsc.backend.Settings;

import java.util.Optional;

/** Chooses the backend: {@code local}, {@code swarm}, or {@code auto} (swarm when a manager answers, else local). */
public final class Backends {

    private Backends() {
    }

    public static BackendFactory factory() {
        return new Opener();
    }

    /** {@link #factory()}'s: a class, not a method reference, since a one-shot starts it before its first lambda. */
    private static final class Opener implements BackendFactory {
        @Override
        public Backend open(Settings settings) {
            return Backends.open(settings);
        }
    }

    /** A resident console's: every Swarm backend it opens reads through the one {@code watch} it keeps warm. */
    public static BackendFactory factory(EngineWatch watch) {
        return settings -> open(settings, Optional.of(watch));
    }

    public static Backend open(Settings settings) {
        return open(settings, Optional.empty());
    }

    private static Backend open(Settings settings, Optional<EngineWatch> watch) {
        return switch (settings.backend()) {
            case "local" -> new LocalBackend(settings);
            case "swarm" -> new SwarmBackend(settings, watch);
            case "auto" -> SwarmBackend.probe(settings, watch) ? new SwarmBackend(settings, watch) : new LocalBackend(settings);
            default -> throw new UsageException("unknown backend '" + rsc.model.Names.printable(settings.backend())
                    + "': use local, swarm or auto");
        };
    }
}

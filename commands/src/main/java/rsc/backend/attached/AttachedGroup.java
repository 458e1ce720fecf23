package rsc.backend.attached;

import rsc.backend.RecipeServices;
import rsc.model.Endpoint;

import java.util.List;
import java.util.Optional;

/**
 * A group adopted by {@code attach}.
 *
 * @param name      the Sentinel master name
 * @param sentinels the sentinels it was attached by (more are discovered from them)
 * @param services  for a group attached by its Swarm services: which service is which; its nodes are then the
 *                  services' tasks, listed by the backend
 */
public record AttachedGroup(String name, List<Endpoint> sentinels, Optional<RecipeServices> services) {

    public AttachedGroup {
        sentinels = List.copyOf(sentinels);
    }

    public AttachedGroup(String name, List<Endpoint> sentinels) {
        this(name, sentinels, Optional.empty());
    }
}

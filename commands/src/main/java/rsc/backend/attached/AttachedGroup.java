package rsc.backend.attached;

import rsc.model.Endpoint;

import java.util.List;

/**
 * A group adopted by {@code attach}.
 *
 * @param name      the Sentinel master name
 * @param sentinels the sentinels it was attached by (more are discovered from them)
 */
public record AttachedGroup(String name, List<Endpoint> sentinels) {

    public AttachedGroup {
        sentinels = List.copyOf(sentinels);
    }
}

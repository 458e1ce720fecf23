package rsc.backend;

import rsc.error.RscException;
import rsc.model.Finding;
import rsc.model.Node;

import java.util.List;

/**
 * A backend that adopts a group built by hand from three services ({@code attach --services}): Swarm's. An optional
 * capability asked for with {@link Backend#capability}, like {@link Machines}; the local backend has none.
 */
public interface Recipes {

    /**
     * The nodes of a group built by hand from these services: one per task, named as the task is, announced by the
     * address Sentinel sees and reached by an address this machine can connect to.
     */
    List<Node> recipeNodes(String group, RecipeServices services);

    /** The hazards of a group built by hand from these services (the backend's {@link Backend#findings} for it). */
    List<Finding> recipeFindings(RecipeServices services);

    /** The one-line error for a backend without this capability. */
    static RscException missing() {
        return new RscException("attach --services adopts services of a Docker Swarm: start rsc with "
                + "--backend swarm (on this backend, attach a group by its sentinels: --sentinel HOST:PORT)");
    }
}

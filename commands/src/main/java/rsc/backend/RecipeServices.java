package rsc.backend;

import rsc.error.UsageException;
import rsc.model.Names;

import java.util.Arrays;
import java.util.List;

/**
 * The three services of a group built by hand with the plain Swarm recipe ({@code redis}, {@code redis-slave},
 * {@code redis-sentinel}), which {@code attach --services} adopts. Which service is which matters only to name the
 * recipe's hazards; who is master is always asked of Redis and Sentinel.
 *
 * @param master    the service started as the master
 * @param replicas  the service whose tasks start as its replicas
 * @param sentinels the service of the sentinels
 */
public record RecipeServices(String master, String replicas, String sentinels) {

    public RecipeServices {
        for (String s : List.of(master, replicas, sentinels)) {
            Names.check(s, "service");
        }
    }

    /** {@code MASTER,REPLICAS,SENTINELS} as typed after {@code --services}. */
    public static RecipeServices parse(String text) {
        List<String> parts = Arrays.stream(text.split(",", -1)).map(String::trim).toList();
        if (parts.size() != 3 || parts.stream().anyMatch(String::isEmpty)) {
            throw new UsageException("--services takes three service names, MASTER,REPLICAS,SENTINELS "
                    + "(for example redis,redis-slave,redis-sentinel)");
        }
        if (parts.stream().distinct().count() != 3) {
            throw new UsageException("--services names three different services: " + text);
        }
        return new RecipeServices(parts.get(0), parts.get(1), parts.get(2));
    }

    public List<String> all() {
        return List.of(master, replicas, sentinels);
    }

    @Override
    public String toString() {
        return master + "," + replicas + "," + sentinels;
    }
}

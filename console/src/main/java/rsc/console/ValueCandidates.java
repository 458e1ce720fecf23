package rsc.console;

import org.jline.reader.Candidate;
import rsc.command.CompletionSource;
import rsc.command.RedisCommandNames;
import rsc.model.Node;
import rsc.model.Topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Candidates for a value, by its {@link CompletionSource}, read from the cached {@link Topology} only: TAB never
 * waits on Docker or Redis. Files and command names are handled by {@link TableCompleter}.
 */
public final class ValueCandidates {

    private final Supplier<Topology> topology;
    private final RedisCommandNames redisCommands;

    public ValueCandidates(Supplier<Topology> topology, RedisCommandNames redisCommands) {
        this.topology = topology;
        this.redisCommands = redisCommands;
    }

    /** The fixed words declared for a value, then its live values (a closed list of words has no live ones). */
    public List<Candidate> of(CompletionSource source, List<String> choices) {
        List<Candidate> out = new ArrayList<>(words(choices, null));
        out.addAll(of(source));
        return out;
    }

    /** The sub-commands of a Redis container command ({@code CONFIG}: GET, SET, ...). */
    public List<Candidate> redisSubcommands(String command) {
        return words(redisCommands.subcommands(command), "redis sub-commands");
    }

    /** Candidates for {@code source}; empty when the source has none or nothing is known yet. */
    public List<Candidate> of(CompletionSource source) {
        return switch (source) {
            case GROUPS -> words(snapshot().groups(), "groups");
            case NODES, SERVICES, TASKS -> nodes(n -> true);
            case REDIS_NODES -> nodes(Node::isRedis);
            case SENTINEL_NODES -> nodes(Node::isSentinel);
            case REDIS_COMMANDS -> words(redisCommands.names(), "redis commands");
            default -> List.of();
        };
    }

    private Topology snapshot() {
        Topology t = topology.get();
        return t == null ? Topology.empty("?") : t;
    }

    private List<Candidate> nodes(Predicate<Node> which) {
        List<Candidate> out = new ArrayList<>();
        for (Node n : snapshot().nodes()) {
            if (which.test(n)) {
                String descr = n.kind().word() + (n.announced() == null ? "" : " " + n.announced())
                        + (n.state() == null ? "" : " " + n.state().name().toLowerCase(Locale.ROOT));
                out.add(new Candidate(n.name(), n.name(), "nodes", descr, null, null, true));
            }
        }
        return out;
    }

    private static List<Candidate> words(List<String> words, String group) {
        return words.stream().map(w -> new Candidate(w, w, group, null, null, null, true)).toList();
    }
}

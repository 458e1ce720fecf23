package rsc.backend.swarm;

import rsc.backend.NodeSpec;
import rsc.model.NodeKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static rsc.backend.swarm.SwarmBackend.CREATED;
import static rsc.backend.swarm.SwarmBackend.MANAGED;
import static rsc.backend.swarm.SwarmBackend.START_TIMEOUT;

/**
 * A Swarm start as {@code --dry-run} shows it: the Engine API calls {@link ServiceStarter#start} makes, from the same
 * {@link ServiceStarter.Draft} and what the swarm holds now. A pure function, so a test can read it without an engine;
 * the group's password shows as {@code <secret>}, never as its text.
 */
final class StartPlan {

    private StartPlan() {
    }

    /** What the swarm looks like now, as far as a plan needs it (read, never changed). */
    record Facts(String image, boolean imagePresent, String network, boolean networkMissing, Optional<String> oldSecretId,
                 Optional<SwarmNodeInfo> placedOn) {
    }

    /** The plan's lines for a drafted service and what the swarm holds now: no password, ever, only {@code <secret>}. */
    static List<String> lines(NodeSpec spec, ServiceStarter.Draft d, Facts f) {
        List<String> calls = new ArrayList<>();
        if (!f.imagePresent()) {
            calls.add("(image " + f.image() + " is not on this node: the start would stop here; docker pull " + f.image() + ")");
        }
        if (f.networkMissing()) {
            calls.add("POST /networks/create overlay " + f.network() + " attachable   # missing now; labelled "
                    + MANAGED + ", " + CREATED);
        }
        String group = spec.group();
        boolean firstNode = spec.role() == NodeSpec.StartRole.MASTER;
        if (spec.password().isPresent() && firstNode) {
            f.oldSecretId().ifPresent(id -> calls.add("DELETE /secrets/" + DockerErrors.shortId(id) + "   # the "
                    + ServiceStarter.secretName(group) + " an earlier group of this name left"));
            calls.add("POST /secrets/create " + ServiceStarter.secretName(group) + " <secret>   # the group's password");
        }
        String script = d.kind() == NodeKind.SENTINEL ? "<rsc's sentinel-node script>" : "<rsc's data-node script>";
        List<String> args = NodeScripts.arguments(spec.config());
        calls.add("POST /services/create " + d.name() + ":");
        calls.add("    image " + f.image() + ", 1 replica, restart condition any");
        calls.add("    command sh -c " + script + " rsc-node" + (args.isEmpty() ? "" : " " + String.join(" ", args)));
        calls.add("    env " + String.join(" ", d.env()));
        calls.add("    network " + f.network() + ", alias " + String.join(", ", d.aliases()));
        calls.add("    --endpoint-mode dnsrr, publish mode=host target=" + d.port() + " published=P (P: the first port of "
                + HostPorts.RANGE + " that no service of the swarm publishes)");
        if (spec.password().isPresent()) {
            calls.add("    secret " + ServiceStarter.secretName(group) + " at /run/secrets/" + ServiceStarter.SECRET_FILE + " 0400");
        }
        d.volume().ifPresent(v -> calls.add("    mount volume " + v.name() + " at " + v.target() + " (local driver: made by "
                + "the engine of the swarm node the task runs on, and found again there when the task restarts)"));
        calls.add("    labels " + d.labels().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" ")));
        f.placedOn().ifPresent(n -> calls.add("    placement node.id==" + n.id() + " (swarm node " + n.host().label()
                + ", as the swarm is now; removed once the task runs)"));
        calls.add("GET /tasks until " + d.name() + "'s task runs with a published port; PING at NODE_ADDRESS:PORT; timeout "
                + START_TIMEOUT.toSeconds() + " s");
        f.placedOn().ifPresent(n -> calls.add("POST /services/" + d.name() + "/update   # placement constraint dropped, "
                + "so Swarm can reschedule it"));
        return calls;
    }
}

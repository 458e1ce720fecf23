package rsc.backend.swarm;

import rsc.backend.Progress;
import rsc.backend.Settings;
import rsc.error.RscException;

import java.util.Map;
import java.util.Optional;

import static rsc.backend.swarm.SwarmBackend.CREATED;
import static rsc.backend.swarm.SwarmBackend.MANAGED;

/**
 * The overlay network a group's services join: found or made, checked fit (overlay, attachable, not the routing
 * mesh), and ridden through the seconds in which the last group's {@code destroy} is still removing it.
 */
final class OverlayNetwork {

    private final SwarmGateway gateway;
    private final String name;

    OverlayNetwork(SwarmGateway gateway, String name) {
        this.gateway = gateway;
        this.name = name;
    }

    /** The network's id; created (attachable overlay, labelled as rsc's) when missing, refused when unfit. */
    String ensure(Progress progress) {
        // a network being removed (the last group on it was just destroyed) may be gone from the listing while the
        // engine still refuses its name: look again until it is either back in the listing or creatable
        for (int attempt = 1; ; attempt++) {
            try {
                return findOrCreate(progress);
            } catch (RscException e) {
                if (attempt >= 20 || !e.getMessage().contains("already exists")) {
                    throw e;
                }
                SwarmBackend.sleep(500);
            }
        }
    }

    private String findOrCreate(Progress progress) {
        Optional<SwarmNetworks.NetworkInfo> existing = gateway.networks().byName(name);
        if (existing.isPresent()) {
            SwarmNetworks.NetworkInfo n = existing.get();
            if (!"overlay".equals(n.driver())) {
                throw new RscException("network " + name + " exists with driver " + n.driver()
                        + "; rsc needs an overlay network: remove it or pass another --network");
            }
            if ("ingress".equals(n.name()) || "true".equals(n.labels().get("com.docker.swarm.internal"))) {
                throw new RscException("network " + name + " is Swarm's routing mesh, which services cannot attach to: "
                        + "pass another --network (rsc creates " + Settings.DEFAULT_NETWORK + " when it is missing)");
            }
            if (!n.attachable()) {
                throw new RscException("network " + name + " is an overlay network that is not attachable: rsc's node "
                        + "scripts need one (docker network create -d overlay --attachable " + name + "), or pass another --network");
            }
            return n.id();
        }
        progress.update("creating overlay network " + name);
        return gateway.networks().createOverlay(name, Map.of(MANAGED, "true", CREATED, "true"));
    }

    /**
     * Creates the service on the network; when the network was being removed as the last group on it was destroyed,
     * waits until it is gone, makes it anew and creates the service there.
     */
    String createService(SwarmGateway.ServiceRequest request, Progress progress) {
        try {
            return gateway.createService(request);
        } catch (RscException e) {
            if (!(e.getMessage().contains("network " + request.networkId()) && e.getMessage().contains("not found"))) {
                throw e;
            }
            String fresh = ensure(progress);
            for (int i = 0; i < 20 && fresh.equals(request.networkId()); i++) {
                SwarmBackend.sleep(500);
                fresh = ensure(progress);
            }
            return gateway.createService(request.onNetwork(fresh));
        }
    }
}

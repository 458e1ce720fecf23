package rsc.backend.swarm;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The Engine API's JSON of services, tasks and swarm nodes turned into rsc's records, field for field as
 * {@link EngineModels} turns docker-java's beans into them (the unit tests feed both the same JSON), for the reads
 * that go without docker-java ({@link PlainEngine}).
 */
final class EngineJson {

    private EngineJson() {
    }

    static SwarmService toService(JsonNode s) {
        JsonNode spec = s.path("Spec");
        JsonNode t = spec.path("TaskTemplate");
        String image = text(t.path("ContainerSpec").path("Image"), "");
        int at = image.indexOf("@sha256:");
        if (at > 0) {
            image = image.substring(0, at);
        }
        String mode = "replicated";
        long replicas = -1;
        if (present(spec.path("Mode").path("Global"))) {
            mode = "global";
        } else if (present(spec.path("Mode").path("Replicated"))) {
            replicas = spec.path("Mode").path("Replicated").path("Replicas").asLong(0);
        }
        JsonNode endpoint = spec.path("EndpointSpec");
        String endpointMode = "dnsrr".equals(endpoint.path("Mode").asText()) ? "dnsrr" : "vip";
        List<String> ports = new ArrayList<>();
        for (JsonNode p : endpoint.path("Ports")) {
            String pub = p.path("PublishedPort").asInt(0) > 0 ? p.path("PublishedPort").asInt() + ":" : "";
            ports.add(pub + p.path("TargetPort").asInt(0) + "/" + protocol(p) + " (" + publishMode(p) + ")");
        }
        List<String> networks = new ArrayList<>();
        t.path("Networks").forEach(n -> networks.add(text(n.path("Target"), null)));
        spec.path("Networks").forEach(n -> networks.add(text(n.path("Target"), null)));
        return new SwarmService(text(s.path("ID"), null), text(spec.path("Name"), ""), labels(spec.path("Labels")), image,
                mode, replicas, endpointMode, ports, networks);
    }

    static List<ServiceShape> shapes(JsonNode list) {
        List<ServiceShape> out = new ArrayList<>();
        for (JsonNode s : list) {
            SwarmService basic = toService(s);
            JsonNode spec = s.path("Spec");
            JsonNode t = spec.path("TaskTemplate");
            String condition = t.path("RestartPolicy").path("Condition").asText("");
            String restart = "none".equals(condition) ? "none" : "on-failure".equals(condition) ? "on-failure" : "any";
            List<String> command = new ArrayList<>();
            t.path("ContainerSpec").path("Command").forEach(c -> command.add(text(c, null)));
            t.path("ContainerSpec").path("Args").forEach(c -> command.add(text(c, null)));
            Map<String, String> ports = new LinkedHashMap<>();
            for (JsonNode p : spec.path("EndpointSpec").path("Ports")) {
                int published = p.path("PublishedPort").asInt(0);
                ports.put((published > 0 ? published + ":" : "") + p.path("TargetPort").asInt(0) + "/" + protocol(p),
                        publishMode(p));
            }
            out.add(new ServiceShape(basic.id(), basic.name(), basic.labels(), basic.image(), basic.endpointMode(), ports,
                    restart, command));
        }
        return out;
    }

    static SwarmTask toTask(JsonNode t, Map<String, String> namesById) {
        JsonNode st = t.path("Status");
        String state = text(st.path("State"), "unknown");
        String desired = text(t.path("DesiredState"), "unknown");
        String container = text(st.path("ContainerStatus").path("ContainerID"), "");
        List<String> addresses = new ArrayList<>();
        for (JsonNode a : t.path("NetworksAttachments")) {
            if (!a.path("Addresses").isArray()) {
                continue;
            }
            if ("ingress".equals(text(a.path("Network").path("Spec").path("Name"), ""))) {
                continue;
            }
            for (JsonNode addr : a.path("Addresses")) {
                String s = addr.isNull() ? "null" : addr.asText();
                int slash = s.indexOf('/');
                addresses.add(slash > 0 ? s.substring(0, slash) : s);
            }
        }
        List<SwarmTask.PublishedPort> ports = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();   // each port once (a record's own hashCode costs a cold JVM ~10 ms)
        for (JsonNode p : st.path("PortStatus").path("Ports")) {
            if (p.isObject()) {
                SwarmTask.PublishedPort port = new SwarmTask.PublishedPort(p.path("TargetPort").asInt(0),
                        p.path("PublishedPort").asInt(0), text(p.path("Protocol"), "tcp"));
                if (seen.add(port.toString())) {
                    ports.add(port);
                }
            }
        }
        String serviceId = text(t.path("ServiceID"), "");
        return new SwarmTask(text(t.path("ID"), null), serviceId, namesById.getOrDefault(serviceId, ""),
                t.path("Slot").asInt(0), text(t.path("NodeID"), ""), state, desired, text(st.path("Message"), ""),
                text(st.path("Err"), ""), container, addresses, List.copyOf(ports), text(st.path("Timestamp"), ""));
    }

    static SwarmNodeInfo toNodeInfo(JsonNode n) {
        JsonNode spec = n.path("Spec");
        JsonNode status = n.path("Status");
        JsonNode manager = n.path("ManagerStatus");
        return new SwarmNodeInfo(text(n.path("ID"), null), text(n.path("Description").path("Hostname"), ""),
                lower(spec.path("Role"), "?"), lower(spec.path("Availability"), "?"), lower(status.path("State"), "?"),
                text(status.path("Addr"), ""), manager.path("Leader").asBoolean(false), text(manager.path("Addr"), ""),
                labels(spec.path("Labels")));
    }

    private static String protocol(JsonNode port) {
        return lower(port.path("Protocol"), "tcp");
    }

    private static String publishMode(JsonNode port) {
        return text(port.path("PublishMode"), "ingress");
    }

    private static boolean present(JsonNode n) {
        return !n.isMissingNode() && !n.isNull();
    }

    /** A field's text, {@code orElse} when absent or null (as {@code Objects.toString(x, orElse)}). */
    private static String text(JsonNode n, String orElse) {
        return present(n) ? n.asText() : orElse;
    }

    private static String lower(JsonNode n, String orElse) {
        return present(n) && !n.asText().isEmpty() ? n.asText().toLowerCase(Locale.ROOT) : orElse;
    }

    private static Map<String, String> labels(JsonNode n) {
        Map<String, String> out = new LinkedHashMap<>();
        n.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }
}

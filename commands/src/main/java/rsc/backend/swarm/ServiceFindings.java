package rsc.backend.swarm;

import rsc.model.Finding;
import rsc.model.NodeKind;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static rsc.backend.swarm.SwarmBackend.KIND;

/**
 * The Swarm hazards {@code doctor} names in services, rsc's own or built by hand, read from what the gateway returned
 * (no engine here, so the checks are unit-tested on records): VIP endpoint mode, ingress-published ports, a Redis
 * service Swarm restarts empty, replicas that follow a DNS name, tasks that failed to start.
 */
final class ServiceFindings {

    private ServiceFindings() {
    }

    /** How far back {@code doctor} reports failed tasks. */
    static final Duration RECENT_FAILURES = Duration.ofMinutes(10);
    /** The first line of {@code redis-node.sh}, found in the script rsc runs: how a service is known to run it. */
    static final String REDIS_ENTRYPOINT_MARKER = "# rsc: entrypoint of a Redis data node";


    /** The checks on services and their tasks as the gateway read them. */
    static List<Finding> findingsOf(List<ServiceShape> services, List<SwarmTask> tasks,
                                              java.time.Instant now) {
        List<Finding> out = new ArrayList<>();
        for (ServiceShape s : services.stream().sorted(Comparator.comparing(ServiceShape::name)).toList()) {
            String n = s.name();
            if (!"dnsrr".equals(s.endpointMode())) {
                out.add(new Finding(rsc.result.Severity.ERROR, "vip-endpoint", n + " is in VIP endpoint mode: "
                        + "its name resolves to a virtual IP, not to its task, so Sentinel registers replicas under the VIP "
                        + "and may count the master twice (and VIP needs IPVS in the kernel)",
                        "recreate " + n + " with --endpoint-mode dnsrr (or: docker service update --endpoint-mode dnsrr " + n
                                + ", once no port is published in ingress mode)"));
            }
            List<String> ingress = s.ports().entrySet().stream().filter(e -> "ingress".equals(e.getValue()))
                    .map(Map.Entry::getKey).sorted().toList();
            if (!ingress.isEmpty()) {
                List<String> targets = ingress.stream().map(p -> p.substring(p.indexOf(':') + 1, p.indexOf('/')))
                        .distinct().toList();
                out.add(new Finding(rsc.result.Severity.WARN, "ingress-port", n + " publishes "
                        + String.join(", ", ingress) + " through the ingress routing mesh: connections are NATed to any "
                        + "task, so the address clients reach is not the one Sentinel announces",
                        "publish in host mode: docker service update "
                                + targets.stream().map(t -> "--publish-rm " + t + " --publish-add mode=host,target=" + t)
                                .collect(Collectors.joining(" ")) + " " + n));
            }
            if (isRedisDataService(s) && !runsRscEntrypoint(s) && !"none".equals(s.restartCondition())) {
                out.add(new Finding(rsc.result.Severity.ERROR, "restart-empty", n + " runs "
                        + (s.command().isEmpty() ? "the default command of " + s.image()
                        : "'" + abbreviate(DockerErrors.oneLine(String.join(" ", s.command())), 60) + "'")
                        + " with restart condition " + s.restartCondition() + " and without rsc's entrypoint: Swarm "
                        + "restarts it empty, without asking the sentinels, and its replicas may copy the empty data set",
                        "replace it with an rsc node ('scale slaves N' starts nodes that ask the sentinels first), "
                                + "or docker service update --restart-condition none " + n));
            }
            Optional<String> followed = isRedisDataService(s) && !runsRscEntrypoint(s) ? followedName(s.command())
                    : Optional.empty();
            if (followed.isPresent()) {
                out.add(new Finding(rsc.result.Severity.ERROR, "follows-name", n + " starts its tasks as "
                        + "replicas of the name '" + followed.get() + "', not of the master Sentinel elected: after a "
                        + "failover, a task Swarm restarts follows whatever answers to that name (the old master, restarted "
                        + "empty, included) and copies its data set",
                        "replace it with rsc replicas ('scale slaves N' starts nodes that ask the sentinels who is master), "
                                + "or start replicas with no --slaveof and let Sentinel (SENTINEL RESET) place them"));
            }
            List<SwarmTask> mine = tasks.stream().filter(t -> t.serviceId().equals(s.id())).toList();
            List<SwarmTask> failed = mine.stream().filter(t -> ("failed".equals(t.state()) || "rejected".equals(t.state()))
                    && recent(t, now)).sorted(Comparator.comparing(SwarmTask::timestamp).reversed()).toList();
            if (!failed.isEmpty()) {
                SwarmTask last = failed.get(0);
                boolean running = mine.stream().anyMatch(t -> t.running() && t.wantedRunning());
                String ago = ageOf(last, now).map(d -> " " + d.toSeconds() + " s ago").orElse("");
                String error = last.error().isEmpty() ? last.message() : last.error();
                out.add(new Finding(running ? rsc.result.Severity.WARN : rsc.result.Severity.ERROR, "task-failed",
                        n + ": " + failed.size() + " task(s) " + last.state() + " in the last " + RECENT_FAILURES.toMinutes()
                                + " min, the latest (" + last.shortId() + ")" + ago + ": " + DockerErrors.oneLine(error)
                                + (running ? "; Swarm restarted it and a task runs now" : "; no task of it runs now"),
                        "logs " + n + " --tail 50, and ps " + n));
            }
        }
        return out;
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }

    private static boolean recent(SwarmTask t, java.time.Instant now) {
        return ageOf(t, now).map(d -> d.compareTo(RECENT_FAILURES) <= 0).orElse(true);
    }

    private static Optional<Duration> ageOf(SwarmTask t, java.time.Instant now) {
        try {
            return Optional.of(Duration.between(java.time.OffsetDateTime.parse(t.timestamp()).toInstant(), now));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static final java.util.regex.Pattern FOLLOWS = java.util.regex.Pattern.compile(
            "(?i)(?:^|\\s)-*(?:slaveof|replicaof)\\s+[\"']?([^\\s\"']+)[\"']?\\s+[\"']?\\d+");
    private static final java.util.regex.Pattern IP = java.util.regex.Pattern.compile("^[0-9.]+$|^[0-9a-fA-F:]+:[0-9a-fA-F:]*$");

    /** The host name a command makes its Redis follow ({@code --slaveof redis 6379}), when it is a name, not an IP. */
    static Optional<String> followedName(List<String> command) {
        java.util.regex.Matcher m = FOLLOWS.matcher(String.join(" ", command));
        while (m.find()) {
            String host = m.group(1);
            if (!IP.matcher(host).matches() && !host.equalsIgnoreCase("no")) {
                return Optional.of(host);
            }
        }
        return Optional.empty();
    }

    /** A service holding Redis data: rsc's label says so, else its command runs redis-server (not a sentinel). */
    static boolean isRedisDataService(ServiceShape s) {
        String kind = s.labels().get(KIND);
        if (kind != null) {
            return NodeKind.REDIS.word().equals(kind);
        }
        String text = String.join(" ", s.command()).toLowerCase(java.util.Locale.ROOT);
        if (text.contains("sentinel")) {
            return false;
        }
        return text.contains("redis-server") || (s.command().isEmpty() && s.image().toLowerCase(java.util.Locale.ROOT).contains("redis"));
    }

    /** True when the service's command is {@code sh -c <rsc's data-node script> rsc-node ...}. */
    static boolean runsRscEntrypoint(ServiceShape s) {
        List<String> c = s.command();
        return c.size() >= 4 && "sh".equals(c.get(0)) && "-c".equals(c.get(1))
                && c.get(2).contains(REDIS_ENTRYPOINT_MARKER) && "rsc-node".equals(c.get(3));
    }

}

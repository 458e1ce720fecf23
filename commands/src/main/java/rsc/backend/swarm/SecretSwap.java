package rsc.backend.swarm;

import rsc.backend.Progress;
import rsc.backend.SecretRollout;
import rsc.error.RscException;
import rsc.model.Node;
import rsc.model.Secret;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static rsc.backend.swarm.SwarmBackend.GROUP;
import static rsc.backend.swarm.SwarmBackend.MANAGED;
import static rsc.backend.swarm.SwarmBackend.START_TIMEOUT;

/**
 * A password rotation on Swarm: the new password becomes the group's newest Docker secret ({@link GroupSecrets}), each
 * service is updated to mount it in place of the old one (Swarm replaces the task; the node script reads the new
 * password and, for a data node, asks the sentinels whom to follow), and the old secret is removed at the end.
 */
final class SecretSwap implements SecretRollout {

    private final SwarmGateway gateway;
    private final TaskReplacement replacement;

    SecretSwap(SwarmGateway gateway, TaskReplacement replacement) {
        this.gateway = gateway;
        this.replacement = replacement;
    }

    /** Two secrets mean this rotation staged the newest already (the end of a rotation leaves one). */
    @Override
    public void stage(String group, Secret next, Progress progress) {
        List<GroupSecrets.Generation> all = GroupSecrets.all(gateway, group);
        if (all.size() >= 2) {
            return;
        }
        String name = GroupSecrets.name(group, all.isEmpty() ? 1 : all.get(all.size() - 1).number() + 1);
        progress.update(group + ": creating the secret " + name + " with the new password");
        gateway.secrets().create(name, Map.of(MANAGED, "true", GROUP, group), next.reveal());
    }

    @Override
    public boolean runsStaged(Node node) {
        Optional<GroupSecrets.Generation> staged = GroupSecrets.newest(gateway, node.group());
        return staged.isPresent() && gateway.mountedSecrets(node.name()).equals(List.of(staged.get().name()));
    }

    @Override
    public Node restartStaged(Node node, Progress progress) {
        GroupSecrets.Generation staged = GroupSecrets.newest(gateway, node.group())
                .orElseThrow(() -> new RscException("no password secret of '" + node.group() + "' to mount"));
        SwarmService service = gateway.services(Map.of(GROUP, node.group())).stream()
                .filter(s -> s.name().equals(node.name())).findFirst()
                .orElseThrow(() -> new RscException("no service " + node.name()));
        progress.update(node.name() + ": mounting " + staged.name() + " (Swarm replaces its task)");
        return replacement.replace(node, service, "secret", stay -> gateway.swapSecret(node.name(), staged.ref(), stay), progress);
    }

    /** Every older secret of the group; one still held by a task going away is tried again for a while. */
    @Override
    public void retire(String group, Progress progress) {
        List<GroupSecrets.Generation> all = GroupSecrets.all(gateway, group);
        for (GroupSecrets.Generation old : all.subList(0, Math.max(0, all.size() - 1))) {
            progress.update(group + ": removing the old secret " + old.name());
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (true) {
                try {
                    gateway.secrets().remove(old.id());
                    break;
                } catch (RscException e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                    SwarmBackend.sleep(500);
                }
            }
        }
    }

    @Override
    public List<String> planStage(String group) {
        List<GroupSecrets.Generation> all = GroupSecrets.all(gateway, group);
        if (all.size() >= 2) {
            return List.of("(the secret " + all.get(all.size() - 1).name() + " holds the new password already)");
        }
        return List.of("POST /secrets/create " + staged(group, all) + " <secret>   # the new password");
    }

    @Override
    public List<String> planRestartStaged(Node node) {
        List<GroupSecrets.Generation> all = GroupSecrets.all(gateway, node.group());
        return List.of("POST /services/" + node.name() + "/update   # secret " + staged(node.group(), all) + " at /run/secrets/"
                + ServiceStarter.SECRET_FILE + " 0400 in place of " + String.join(", ", gateway.mountedSecrets(node.name()))
                + StayPlan.of(replacement.stayingOn(node)) + ": Swarm replaces the task; then wait for the new task to answer PING");
    }

    @Override
    public List<String> planRetire(String group) {
        List<GroupSecrets.Generation> all = GroupSecrets.all(gateway, group);
        List<GroupSecrets.Generation> old = all.size() >= 2 ? all.subList(0, all.size() - 1) : all;
        return old.stream().map(g -> "DELETE /secrets/" + DockerErrors.shortId(g.id()) + "   # " + g.name()
                + ", the old password").toList();
    }

    private static String staged(String group, List<GroupSecrets.Generation> all) {
        return all.size() >= 2 ? all.get(all.size() - 1).name()
                : GroupSecrets.name(group, all.isEmpty() ? 1 : all.get(all.size() - 1).number() + 1);
    }
}

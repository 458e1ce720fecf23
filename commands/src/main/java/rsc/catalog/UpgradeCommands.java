package rsc.catalog;

import rsc.command.CommandKind;
import rsc.command.CommandSpec;
import rsc.session.Session;
import rsc.command.Invocation;
import rsc.command.Option;
import rsc.command.Param;
import rsc.error.UsageException;
import rsc.command.ValueType;
import rsc.ops.Upgrade;

import java.time.Duration;
import java.util.List;

/** Day-2 operations on a running group: upgrade. */
final class UpgradeCommands {

    private UpgradeCommands() {
    }

    static List<CommandSpec<Session>> specs() {
        return List.of(CommandSpec.<Session>command("upgrade")
                .summary("move a group to another Redis build, one node at a time: replicas, a paused failover, the old "
                        + "master, the sentinels")
                .param(Param.optional("group", ValueType.GROUP, "the group (default: the current group)"))
                .option(Option.value("image", ValueType.WORD, "IMG", "Swarm: the image every node should run"))
                .option(Option.value("binary", ValueType.FILE, "embedded|host|PATH",
                        "local backend: the redis-server every node should run"))
                .option(Option.value("timeout", ValueType.DURATION, "D", "how long the failover may take").withDefault("30s"))
                .kind(CommandKind.CHANGES)
                .example("upgrade --binary host").example("upgrade orders --image redis:7.2-alpine")
                .example("upgrade --binary /opt/redis-7.0/bin/redis-server --dry-run")
                .handler((inv, s) -> Upgrade.run(s, GroupCommands.group(inv, s), request(inv), s.ui().progress()))
                .planner((inv, s) -> Upgrade.plan(s, GroupCommands.group(inv, s), request(inv)))
                .build());
    }

    private static Upgrade.Request request(Invocation inv) {
        if (inv.has("image") == inv.has("binary")) {
            throw new UsageException("upgrade needs one of --image IMG (Swarm) or --binary embedded|host|PATH (local)");
        }
        inv.string("image").ifPresent(i -> rsc.model.ImageName.check(i, "--image"));
        return new Upgrade.Request(inv.string("image"), inv.string("binary"),
                inv.valueOrDefault("timeout", Duration.class));
    }
}

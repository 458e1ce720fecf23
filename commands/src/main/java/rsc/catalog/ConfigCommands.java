package rsc.catalog;

import rsc.command.CommandKind;
import rsc.command.CommandSpec;
import rsc.command.Invocation;
import rsc.command.Option;
import rsc.command.Param;
import rsc.command.ValueType;
import rsc.ops.GroupConfig;
import rsc.ops.LiveConfig.SentinelParam;
import rsc.ops.SentinelSet;
import rsc.result.CommandResult;
import rsc.session.Session;

import java.util.List;

/** Live configuration of a running group: config set|get on every data node, sentinel set on every sentinel. */
final class ConfigCommands {

    private ConfigCommands() {
    }

    static List<CommandSpec<Session>> specs() {
        CommandSpec<Session> set = CommandSpec.<Session>command("set")
                .summary("CONFIG SET on every data node of the group, written to its config and read back from each")
                .description("Parameters rsc owns (passwords, ports and addresses, files, replicaof, the write fence "
                        + "min-replicas-*, replica-priority, persistence) are refused with the reason. The first node "
                        + "checks the value: if it refuses, no node is changed. Kept across restarts: the local backend "
                        + "rewrites each node's config file; on Swarm a restarted task copies it from its master.")
                .param(Param.required("param", ValueType.WORD, "the Redis parameter, e.g. maxmemory"))
                .param(Param.required("value", ValueType.WORD, "its value (quote it when it has blanks)"))
                .option(SessionCommands.groupOption())
                .kind(CommandKind.CHANGES)
                .example("config set maxmemory 256mb").example("config set maxmemory-policy allkeys-lru --group orders")
                .handler((inv, s) -> GroupConfig.set(s, GroupCommands.group(inv, s), param(inv), value(inv), s.ui().progress()))
                .planner((inv, s) -> GroupConfig.plan(s, GroupCommands.group(inv, s), param(inv), value(inv)))
                .build();
        CommandSpec<Session> get = CommandSpec.<Session>command("get")
                .summary("CONFIG GET on every data node of the group: each node's value, differences flagged")
                .param(Param.required("param", ValueType.WORD, "the parameter, or a pattern such as maxmemory*"))
                .option(SessionCommands.groupOption())
                .example("config get maxmemory").example("config get maxmemory* --group orders")
                .handler((inv, s) -> GroupConfig.get(s, GroupCommands.group(inv, s), param(inv)))
                .build();
        return List.of(CommandSpec.<Session>command("config").summary("read or change a Redis parameter on every data node of a group")
                .sub(set).sub(get).build());
    }

    /** {@code sentinel set}, a sub-command of {@code sentinel}. */
    static CommandSpec<Session> sentinelSet() {
        return CommandSpec.<Session>command("set")
                .summary("SENTINEL SET on every sentinel of the group (down-after, failover-timeout, quorum, parallel-syncs), read back from each")
                .description("A quorum below a majority of the group's sentinels is refused unless --force. Sentinel "
                        + "writes the value to its config file; a restarted sentinel takes its peers' values.")
                .param(Param.required("param", ValueType.WORD, "the Sentinel setting").choices(SentinelParam.words()))
                .param(Param.required("value", ValueType.WORD, "milliseconds for the timings, a count for quorum and parallel-syncs"))
                .option(SessionCommands.groupOption())
                .option(Option.flag("force", "accept a quorum that is not a majority"))
                .kind(CommandKind.CHANGES)
                .example("sentinel set down-after 2000").example("sentinel set quorum 3 --group orders")
                .handler(ConfigCommands::sentinelSetRun)
                .planner((inv, s) -> SentinelSet.plan(s, GroupCommands.group(inv, s), SentinelParam.of(param(inv)),
                        value(inv), inv.flag("force")))
                .build();
    }

    private static CommandResult sentinelSetRun(Invocation inv, Session s) throws InterruptedException {
        return SentinelSet.run(s, GroupCommands.group(inv, s), SentinelParam.of(param(inv)), value(inv), inv.flag("force"),
                s.ui().progress());
    }

    private static String param(Invocation inv) {
        return inv.string("param").orElseThrow();
    }

    private static String value(Invocation inv) {
        return inv.string("value").orElseThrow();
    }
}

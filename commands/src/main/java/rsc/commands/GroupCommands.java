package rsc.commands;

import rsc.command.CommandKind;
import rsc.command.CommandSpec;
import rsc.command.Invocation;
import rsc.command.Option;
import rsc.command.Param;
import rsc.command.RscException;
import rsc.command.ValueType;
import rsc.ops.CreateMaster;
import rsc.ops.Group;
import rsc.ops.GroupStatus;
import rsc.model.Secret;
import rsc.secrets.PasswordSource;
import java.util.Optional;
import rsc.ops.Plan;
import rsc.ops.ScaleReplicas;
import rsc.ops.ScaleSentinels;
import rsc.result.CommandResult;
import rsc.session.Session;

import java.util.List;

/** Building and tearing down groups: create-master, scale, destroy, status. */
final class GroupCommands {

    private GroupCommands() {
    }

    static List<CommandSpec> specs() {
        CommandSpec slaves = CommandSpec.command("slaves").alias("replicas")
                .summary("grow or shrink the replicas; returns when every replica's link is up")
                .param(Param.required("n", ValueType.COUNT, "how many replicas the group should have"))
                .option(SessionCommands.groupOption())
                .option(Option.value("port", ValueType.PORT, "P", "first port for new replicas (local backend)"))
                .option(Option.value("min-replicas-to-write", ValueType.COUNT, "N",
                        "replicas a write must reach for the master to accept it (default 1 once there are replicas; 0 turns it off)"))
                .kind(CommandKind.CHANGES)
                .example("scale slaves 2").example("scale replicas 0 --group orders")
                .handler(GroupCommands::scaleSlaves)
                .planner((inv, s) -> ScaleReplicas.plan(s, group(inv, s), inv.integer("n").orElseThrow(), inv.integer("port"),
                        inv.integer("min-replicas-to-write")))
                .build();
        CommandSpec sentinels = CommandSpec.command("sentinels")
                .summary("grow or shrink the sentinels watching the group, one at a time")
                .param(Param.required("n", ValueType.COUNT, "how many sentinels should watch the group"))
                .option(SessionCommands.groupOption())
                .option(Option.value("quorum", ValueType.COUNT, "Q", "sentinels that must agree the master is down (default: a majority)"))
                .option(Option.value("port", ValueType.PORT, "P", "first port for new sentinels (local backend)"))
                .option(Option.value("down-after", ValueType.MILLIS, "MS", "down-after-milliseconds (default 5000, or the group's current)"))
                .option(Option.value("failover-timeout", ValueType.MILLIS, "MS", "failover-timeout (default 60000, or the group's current)"))
                .option(Option.flag("force", "accept a quorum that is not a majority"))
                .kind(CommandKind.CHANGES)
                .example("scale sentinels 3").example("scale sentinels 5 --quorum 3 --down-after 2000")
                .handler(GroupCommands::scaleSentinels)
                .planner((inv, s) -> ScaleSentinels.plan(s, group(inv, s), sentinelRequest(inv)))
                .build();
        return List.of(
                CommandSpec.command("create-master").summary("start a group's master and make the group current")
                        .param(Param.optional("group", ValueType.GROUP, "the Sentinel master name (default: the current group)"))
                        .option(Option.value("port", ValueType.PORT, "P", "the master's port (local backend; default 6379 or the next free)"))
                        .option(Option.value("password-file", ValueType.FILE, "F", "the group's password (default: env RSC_PASSWORD, else generated)"))
                        .option(Option.flag("no-auth", "create the group without a password (not recommended)"))
                        .kind(CommandKind.CHANGES)
                        .example("create-master").example("create-master orders --port 7000")
                        .handler(GroupCommands::createMaster)
                        .planner((inv, s) -> CreateMaster.plan(s, newGroup(inv, s), inv.integer("port"), password(inv)))
                        .build(),
                CommandSpec.command("scale").summary("grow or shrink a group's replicas or sentinels")
                        .sub(slaves).sub(sentinels).kind(CommandKind.CHANGES).build(),
                CommandSpec.command("destroy").summary("stop and remove every node of a group, and its data")
                        .param(Param.optional("group", ValueType.GROUP, "the group (default: the current group)"))
                        .option(Option.flag("yes", "do not ask for confirmation (needed in scripts)"))
                        .option(Option.flag("force", "for an attached group: forget it (its nodes are never touched)"))
                        .kind(CommandKind.CHANGES)
                        .example("destroy --yes").example("destroy orders")
                        .handler(GroupCommands::destroy)
                        .planner((inv, s) -> {
                            String g = group(inv, s);
                            Group.require(s, g);
                            return new Plan("destroy " + g).backend(s.backend().name(), s.backend().planDestroy(g)).result();
                        })
                        .build(),
                CommandSpec.command("status").summary("one screen: every node's role, link and lag, and the sentinels' view")
                        .param(Param.optional("group", ValueType.GROUP, "the group (default: the current group)"))
                        .option(SessionCommands.groupOption())
                        .example("status").example("status orders --json").example("status --group orders")
                        .handler(GroupCommands::status).build());
    }

    static String group(Invocation inv, Session s) {
        return inv.string("group").orElseGet(s::group);
    }

    /** The group create-master makes: the one named, else the one chosen, else mymaster. */
    private static String newGroup(Invocation inv, Session s) {
        return inv.string("group").or(s::chosenGroup).orElse(rsc.session.Settings.DEFAULT_GROUP);
    }

    private static CommandResult createMaster(Invocation inv, Session s) {
        return CreateMaster.run(s, newGroup(inv, s), inv.integer("port"), password(inv), s.ui().progress());
    }

    /** create-master's password, read and checked alike for a run and a dry run (a missing file fails both). */
    private static Optional<Secret> password(Invocation inv) {
        if (inv.flag("no-auth") && inv.has("password-file")) {
            throw new rsc.command.UsageException("--no-auth and --password-file contradict each other");
        }
        return inv.flag("no-auth") ? Optional.empty()
                : Optional.of(PasswordSource.choose(inv.string("password-file").map(java.nio.file.Path::of),
                        Optional.ofNullable(System.getenv("RSC_PASSWORD"))));
    }

    private static CommandResult scaleSlaves(Invocation inv, Session s) throws InterruptedException {
        return ScaleReplicas.run(s, group(inv, s), inv.integer("n").orElseThrow(), inv.integer("port"),
                inv.integer("min-replicas-to-write"), s.ui().progress());
    }

    private static CommandResult scaleSentinels(Invocation inv, Session s) throws InterruptedException {
        return ScaleSentinels.run(s, group(inv, s), sentinelRequest(inv), s.ui().progress());
    }

    private static ScaleSentinels.Request sentinelRequest(Invocation inv) {
        return new ScaleSentinels.Request(inv.integer("n").orElseThrow(), inv.integer("quorum").orElse(null),
                inv.integer("port"), inv.number("down-after").orElse(null), inv.number("failover-timeout").orElse(null),
                inv.flag("force"));
    }

    private static CommandResult destroy(Invocation inv, Session s) {
        String g = group(inv, s);
        Group group = Group.require(s, g);
        if (s.attached().find(g).isPresent()) {
            if (!inv.flag("force")) {
                throw new RscException("'" + g + "' is attached: rsc did not create it and destroys none of its nodes; "
                        + "'destroy " + g + " --force' (or 'detach " + g + "') forgets it");
            }
            s.attached().forget(g);
            s.secrets().forget(g);
            s.forgetGroup(g);
            s.groupGone(g);
            return CommandResult.ok("forgot the attached group '" + g + "'; its nodes were not touched");
        }
        if (!inv.flag("yes")) {
            if (!s.ui().interactive()) {
                throw new RscException("destroy removes " + group.nodes().size() + " node(s) of '" + g
                        + "' and their data: add --yes to do it without a question");
            }
            if (!s.ui().confirm("destroy '" + g + "': stop and remove " + group.nodes().size() + " node(s) and their data?")) {
                return CommandResult.info("nothing destroyed");
            }
        }
        group.nodes().forEach(n -> {
            s.redis().forget(n.announced());
            s.redis().forgetSentinel(n.announced());
        });
        s.backend().destroy(g, s.ui().progress());
        s.secrets().forget(g);
        s.forgetGroup(g);
        s.groupGone(g);
        String now = s.currentGroup().map(c -> "; current group: " + c).orElse("");
        return CommandResult.ok("destroyed '" + g + "': removed " + group.nodes().size() + " node(s)" + now);
    }

    private static CommandResult status(Invocation inv, Session s) throws InterruptedException {
        Group group = Group.require(s, group(inv, s));
        GroupStatus.View view = GroupStatus.collect(s, group);
        return Views.status(s, view);
    }
}

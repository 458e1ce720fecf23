package rsc.catalog;

import rsc.command.CommandKind;
import rsc.command.CommandSpec;
import rsc.command.Invocation;
import rsc.command.Option;
import rsc.command.Param;
import rsc.command.ValueType;
import rsc.ops.CreateMaster;
import rsc.ops.DestroyGroup;
import rsc.ops.Group;
import rsc.ops.GroupStatus;
import rsc.model.Secret;
import rsc.secrets.PasswordSource;
import java.util.Optional;
import rsc.ops.ScaleReplicas;
import rsc.ops.ScaleSentinels;
import rsc.result.CommandResult;
import rsc.session.Session;

import java.util.List;

/** Building and tearing down groups: create-master, scale, destroy, status. */
final class GroupCommands {

    private GroupCommands() {
    }

    static List<CommandSpec<Session>> specs() {
        CommandSpec<Session> slaves = CommandSpec.<Session>command("slaves").alias("replicas")
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
        CommandSpec<Session> sentinels = CommandSpec.<Session>command("sentinels")
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
                CommandSpec.<Session>command("create-master").summary("start a group's master and make the group current")
                        .param(Param.optional("group", ValueType.GROUP, "the Sentinel master name (default: the current group)"))
                        .option(Option.value("port", ValueType.PORT, "P", "the master's port (local backend; default 6379 or the next free)"))
                        .option(Option.value("password-file", ValueType.FILE, "F", "the group's password (default: env RSC_PASSWORD, else generated)"))
                        .option(Option.flag("no-auth", "create the group without a password (not recommended)"))
                        .option(Option.oneOf("persistence", "what every data node of the group writes to disk: an "
                                + "append-only file fsynced every second, snapshots, or nothing",
                                rsc.model.Persistence.words()).withDefault(rsc.model.Persistence.NONE.word()))
                        .option(Option.value("binary", ValueType.FILE, "embedded|host|PATH",
                                "local backend: the redis-server the group runs (default: redis-server on PATH, else embedded)"))
                        .kind(CommandKind.CHANGES)
                        .example("create-master").example("create-master orders --port 7000")
                        .example("create-master orders --persistence aof")
                        .handler(GroupCommands::createMaster)
                        .planner(GroupCommands::planCreateMaster)
                        .build(),
                CommandSpec.<Session>command("scale").summary("grow or shrink a group's replicas or sentinels")
                        .sub(slaves).sub(sentinels).kind(CommandKind.CHANGES).build(),
                CommandSpec.<Session>command("destroy").summary("stop and remove every node of a group, and its data")
                        .param(Param.optional("group", ValueType.GROUP, "the group (default: the current group)"))
                        .option(Option.flag("yes", "do not ask for confirmation (needed in scripts)"))
                        .option(Option.flag("force", "for an attached group: forget it (its nodes are never touched)"))
                        .kind(CommandKind.CHANGES)
                        .example("destroy --yes").example("destroy orders")
                        .handler((inv, s) -> DestroyGroup.run(s, group(inv, s), inv.flag("force"), inv.flag("yes")))
                        .planner((inv, s) -> DestroyGroup.plan(s, group(inv, s), inv.flag("force")))
                        .build(),
                CommandSpec.<Session>command("status").summary("one screen: every node's role, link and lag, and the sentinels' view")
                        .param(Param.optional("group", ValueType.GROUP, "the group (default: the current group)"))
                        .option(SessionCommands.groupOption())
                        .example("status").example("status orders --json").example("status --group orders")
                        .handler(GroupCommands::status).build());
    }

    static String group(Invocation inv, Session s) {
        return inv.string("group").orElseGet(s.console()::group);
    }

    /** The group create-master makes: the one named, else the one chosen, else mymaster. */
    private static String newGroup(Invocation inv, Session s) {
        return inv.string("group").or(s.console()::chosenGroup).orElse(rsc.backend.Settings.DEFAULT_GROUP);
    }

    /** create-master's plan; with --binary the binary is checked and named (the plan's exec line shows the default). */
    private static CommandResult planCreateMaster(Invocation inv, Session s) {
        CommandResult plan = CreateMaster.plan(s, newGroup(inv, s), inv.integer("port"), password(inv), persistence(inv));
        if (!inv.has("binary")) {
            return plan;
        }
        rsc.backend.Upgrading u = s.placingBackend().upgrading().orElseThrow(() -> new rsc.error.RscException(
                "--binary is for the local backend"));
        rsc.backend.Upgrading.Target t = u.target(Optional.empty(), inv.string("binary"));
        List<rsc.result.Block> blocks = new java.util.ArrayList<>(plan.blocks());
        blocks.add(rsc.result.Message.info("--binary: every exec above runs " + t.label()
                + t.version().map(v -> " (Redis " + v + ")").orElse("") + " instead, and the group's later nodes too"));
        return new CommandResult(blocks, plan.failed());
    }

    private static CommandResult createMaster(Invocation inv, Session s) {
        String g = newGroup(inv, s);
        if (inv.has("binary") && !s.backend().groups().contains(g)) {
            rsc.backend.Upgrading u = s.placingBackend().upgrading().orElseThrow(() -> new rsc.error.RscException(
                    "--binary is for the local backend"));
            u.adopt(g, u.target(Optional.empty(), inv.string("binary")));
            try {
                return CreateMaster.run(s, g, inv.integer("port"), password(inv), persistence(inv), s.ui().progress());
            } catch (RuntimeException e) {
                if (!s.placingBackend().groups().contains(g)) {
                    s.placingBackend().destroy(g, rsc.backend.Progress.NONE);   // the binary chosen for a group never made
                }
                throw e;
            }
        }
        return CreateMaster.run(s, g, inv.integer("port"), password(inv), persistence(inv), s.ui().progress());
    }

    /** create-master's {@code --persistence}: the table has checked the word already; none when left out. */
    private static rsc.model.Persistence persistence(Invocation inv) {
        return rsc.model.Persistence.of(inv.valueOrDefault("persistence", String.class)).orElseThrow();
    }

    /** create-master's password, read and checked alike for a run and a dry run (a missing file fails both). */
    static Optional<Secret> password(Invocation inv) {
        if (inv.flag("no-auth") && inv.has("password-file")) {
            throw new rsc.error.UsageException("--no-auth and --password-file contradict each other");
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

    private static CommandResult status(Invocation inv, Session s) throws InterruptedException {
        Group group = Group.require(s, group(inv, s));
        GroupStatus.View view = GroupStatus.collect(s, group);
        return Views.status(s, view);
    }
}

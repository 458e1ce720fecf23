package rsc.catalog;

import rsc.command.CommandKind;
import rsc.command.CommandSpec;
import rsc.command.Invocation;
import rsc.command.Option;
import rsc.command.Param;
import rsc.error.RscException;
import rsc.error.UsageException;
import rsc.command.ValueType;
import rsc.model.Node;
import rsc.ops.Group;
import rsc.ops.Plan;
import rsc.ops.MasterLocator;
import rsc.redis.Passthrough;
import rsc.redis.RespError;
import rsc.result.Block;
import rsc.result.CommandResult;
import rsc.result.Message;
import rsc.result.Severity;
import rsc.session.Session;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * {@code redis [--node NAME] [--for D] COMMAND ARGS...}: any Redis command on the master or a named node, through the
 * passthrough's own connection ({@link Passthrough}), shown as redis-cli shows it.
 */
final class RedisCommands {

    private RedisCommands() {
    }

    static List<CommandSpec<Session>> specs() {
        return List.of(CommandSpec.<Session>command("redis")
                .summary("run any Redis command on the group's master, or on --node")
                .param(Param.rest("command", ValueType.REDIS_COMMAND, true, "the Redis command and its arguments"))
                .option(Option.value("node", ValueType.NODE, "NAME", "run it on this node instead of the master"))
                .option(Option.value("for", ValueType.DURATION, "D",
                        "stream (SUBSCRIBE, MONITOR) or wait for a blocking command (BLPOP ...) at most D; needed in scripts"))
                .option(SessionCommands.groupOption())
                .kind(CommandKind.CHANGES)
                .example("redis SET greeting hello").example("redis --node mymaster-redis-2 INFO replication")
                .example("redis SUBSCRIBE news").example("redis --for 30s BLPOP jobs 0")
                .handler(RedisCommands::run)
                .planner(RedisCommands::plan)
                .build());
    }

    private static CommandResult plan(Invocation inv, Session s) {
        List<String> words = inv.words("command");
        return new Plan(SensitiveRedisCommands.refusing("redis", words)).redis(inv.string("node")
                .orElse("the master of " + GroupCommands.group(inv, s)), rsc.session.HistoryFilter.redact(String.join(" ", words)))
                .result();
    }

    private static CommandResult run(Invocation inv, Session s) throws InterruptedException {
        List<String> words = inv.words("command");
        // checks that refuse a command outright belong here, before anything is sent
        SensitiveRedisCommands.refuse(words);
        Passthrough.Kind kind = Passthrough.Kind.of(words);
        if (kind != Passthrough.Kind.PLAIN && !s.ui().interactive() && !inv.has("for")
                && (kind == Passthrough.Kind.STREAMING || Passthrough.Kind.ownTimeout(words).isEmpty())) {
            throw new UsageException(words.get(0).toUpperCase(Locale.ROOT) + (kind == Passthrough.Kind.STREAMING
                    ? " streams until Ctrl-C" : " with no timeout of its own blocks until the server answers")
                    + ": give --for D outside an interactive console (redis --for 10s " + words.get(0) + " ...)");
        }
        Passthrough.Target target = target(inv, s);
        boolean json = inv.json() || s.console().jsonOutput();
        List<Block> streamedBlocks = new ArrayList<>();
        Consumer<Object> sink = value -> {
            List<Block> lines = messages(words, value);
            if (json) {
                streamedBlocks.addAll(lines);
            } else {
                s.ui().show(inv.line(), new CommandResult(lines, false), false);
            }
        };
        if (kind == Passthrough.Kind.STREAMING) {
            s.ui().notice(Message.info("Reading messages from " + target.label() + "... ("
                    + inv.duration("for").map(d -> "for " + d.toSeconds() + " s").orElse("press Ctrl-C to quit") + ")"));
        }
        Passthrough.Reply reply = s.passthrough().call(target, words, inv.duration("for"), sink);
        CommandResult.Builder b = CommandResult.builder();
        streamedBlocks.forEach(b::add);
        if (kind == Passthrough.Kind.STREAMING && reply.value() == null) {
            b.info(reply.notes().get(0) + "; " + reply.streamed() + " message(s)");
            reply.notes().subList(1, reply.notes().size()).forEach(b::warn);
            return b.build();
        }
        if (reply.value() != null || reply.notes().isEmpty()) {
            messages(words, reply.value()).forEach(b::add);
        }
        reply.notes().forEach(b::warn);
        if (reply.value() instanceof RespError) {
            b.failed();
        }
        return b.build();
    }

    private static List<Block> messages(List<String> words, Object value) {
        Severity severity = value instanceof RespError ? Severity.ERROR : Severity.INFO;
        return RedisReplyText.lines(words, value).stream().map(l -> (Block) new Message(severity, l)).toList();
    }

    /** The node the command goes to: {@code --node}, else the group's master as located now. */
    private static Passthrough.Target target(Invocation inv, Session s) throws InterruptedException {
        if (inv.has("node")) {
            String name = inv.string("node").orElseThrow();
            Node node = s.backend().nodes(null).stream().filter(n -> n.name().equals(name)).findFirst()
                    .orElseThrow(() -> new RscException("no node named " + name + " ('status' lists them)"));
            return Passthrough.Target.node(node.name(), node.announced());
        }
        String g = GroupCommands.group(inv, s);
        Group group = Group.require(s, g);
        MasterLocator.Located m = MasterLocator.locate(s, g, group.nodes())
                .orElseThrow(() -> new RscException("cannot find the master of '" + g + "': use --node NAME"));
        return Passthrough.Target.masterOf(g, m.address(), m.node().map(Node::name).orElse(m.address().toString()));
    }
}

package rsc.commands;

import rsc.command.CommandKind;
import rsc.command.CommandSpec;
import rsc.command.Invocation;
import rsc.command.Option;
import rsc.command.Param;
import rsc.command.RscException;
import rsc.command.ValueType;
import rsc.model.Endpoint;
import rsc.model.Node;
import rsc.ops.Group;
import rsc.ops.Plan;
import rsc.ops.MasterLocator;
import rsc.result.CommandResult;
import rsc.result.Message;
import rsc.result.Severity;
import rsc.session.Session;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** {@code redis [--node NAME] COMMAND ARGS...}: any Redis command on the master or a named node, shown as redis-cli shows it. */
final class RedisCommands {

    private RedisCommands() {
    }

    static List<CommandSpec> specs() {
        return List.of(CommandSpec.command("redis")
                .summary("run any Redis command on the group's master, or on --node")
                .param(Param.rest("command", ValueType.REDIS_COMMAND, true, "the Redis command and its arguments"))
                .option(Option.value("node", ValueType.NODE, "NAME", "run it on this node instead of the master"))
                .option(SessionCommands.groupOption())
                .kind(CommandKind.CHANGES)
                .example("redis SET greeting hello").example("redis --node mymaster-redis-2 INFO replication")
                .handler(RedisCommands::run)
                .planner((inv, s) -> new Plan(SensitiveRedisCommands.refusing("redis", inv.words("command"))).redis(inv.string("node").orElse("the master of " + GroupCommands.group(inv, s)),
                        rsc.session.HistoryFilter.redact(String.join(" ", inv.words("command")))).result())
                .build());
    }

    private static CommandResult run(Invocation inv, Session s) throws InterruptedException {
        List<String> words = inv.words("command");
        SensitiveRedisCommands.refuse(words);
        Endpoint target;
        String where;
        if (inv.has("node")) {
            String name = inv.string("node").orElseThrow();
            Node node = s.backend().nodes(null).stream().filter(n -> n.name().equals(name)).findFirst()
                    .orElseThrow(() -> new RscException("no node named " + name + " ('status' lists them)"));
            target = node.announced();
            where = node.name();
        } else {
            String g = GroupCommands.group(inv, s);
            Group group = Group.require(s, g);
            MasterLocator.Located m = MasterLocator.locate(s, g, group.nodes())
                    .orElseThrow(() -> new RscException("cannot find the master of '" + g + "': use --node NAME"));
            target = m.address();
            where = m.node().map(Node::name).orElse(target.toString());
        }
        List<Object> reply = s.redis().node(target).raw(words);
        List<String> lines = new ArrayList<>();
        Object value = reply.size() == 1 ? reply.get(0) : reply;
        render(value, "", lines);
        CommandResult.Builder b = CommandResult.builder();
        for (String l : lines) {
            b.add(new Message(value instanceof Throwable ? Severity.ERROR : Severity.INFO, l));
        }
        if (value instanceof Throwable) {
            b.failed();
        }
        if (lines.isEmpty()) {
            b.info("(empty reply from " + where + ")");
        }
        return b.build();
    }

    /** redis-cli's rendering: strings quoted only when they hold blanks, numbered arrays, (integer), (nil). */
    static void render(Object v, String indent, List<String> out) {
        if (v == null) {
            out.add(indent + "(nil)");
        } else if (v instanceof Long || v instanceof Integer) {
            out.add(indent + "(integer) " + v);
        } else if (v instanceof Throwable t) {
            out.add(indent + "(error) " + t.getMessage());
        } else if (v instanceof ByteBuffer bb) {
            out.add(indent + StandardCharsets.UTF_8.decode(bb.duplicate()));
        } else if (v instanceof List<?> list) {
            if (list.isEmpty()) {
                out.add(indent + "(empty array)");
            }
            for (int i = 0; i < list.size(); i++) {
                String prefix = (i + 1) + ") ";
                Object item = list.get(i);
                if (item instanceof List<?>) {
                    out.add(indent + prefix.trim());
                    render(item, indent + "   ", out);
                } else {
                    List<String> one = new ArrayList<>();
                    render(item, "", one);
                    out.add(indent + prefix + String.join(" ", one));
                }
            }
        } else {
            String text = String.valueOf(v);
            if (text.contains("\n")) {
                text.lines().forEach(l -> out.add(indent + l));
            } else {
                out.add(indent + text);
            }
        }
    }
}

package rsc.catalog;

import rsc.command.CommandKind;
import rsc.command.CommandSpec;
import rsc.command.CommandTable;
import rsc.command.Invocation;
import rsc.command.Option;
import rsc.command.Param;
import rsc.error.UsageException;
import rsc.command.ValueType;
import rsc.result.CommandResult;
import rsc.session.ScriptRunner;
import rsc.session.Session;

import java.nio.file.Path;
import java.util.List;

/** Commands about the console itself: help, use, set, source, exit. */
final class SessionCommands {

    private SessionCommands() {
    }

    static List<CommandSpec<Session>> specs() {
        return List.of(
                CommandSpec.<Session>command("help").summary("list commands, or show one command's usage and examples")
                        .param(Param.rest("command", ValueType.COMMAND_NAME, false, "a command, e.g. 'scale slaves'"))
                        .kind(CommandKind.SESSION)
                        .example("help").example("help scale sentinels")
                        .handler(SessionCommands::help).build(),
                CommandSpec.<Session>command("use").summary("make GROUP the current group (the default of every command)")
                        .param(Param.required("group", ValueType.GROUP, "a Sentinel master name"))
                        .kind(CommandKind.SESSION)
                        .example("use orders")
                        .handler(SessionCommands::use).build(),
                CommandSpec.<Session>command("set").summary("change a console setting: output table|json")
                        .sub(CommandSpec.<Session>command("output").summary("print results as tables or as one JSON document")
                                .param(Param.required("value", ValueType.WORD, "'table' or 'json'").choices("table", "json"))
                                .kind(CommandKind.SESSION)
                                .example("set output json")
                                .handler(SessionCommands::setOutput).build())
                        .sub(CommandSpec.<Session>command("events").summary("how many events print above the prompt: "
                                        + "warnings (default: what went wrong and what came back), all, or off")
                                .param(Param.required("level", ValueType.WORD, "warnings, all or off")
                                        .choices("warnings", "all", "off"))
                                .option(Option.value("group", ValueType.GROUP, "G", "only for this group (default: every group)"))
                                .kind(CommandKind.SESSION)
                                .example("set events all").example("set events off --group orders")
                                .handler(SessionCommands::setEvents).build())
                        .kind(CommandKind.SESSION).build(),
                CommandSpec.<Session>command("source").summary("run the commands of a script file, stopping at the first failure")
                        .param(Param.required("file", ValueType.FILE, "a script: one command a line, # comments"))
                        .kind(CommandKind.SESSION)
                        .example("source scripts/bootstrap.rsc")
                        .handler(SessionCommands::source).build(),
                CommandSpec.<Session>command("exit").alias("quit").summary("leave the console (Ctrl-D does too)")
                        .kind(CommandKind.SESSION)
                        .handler((inv, s) -> {
                            s.console().requestExit();
                            return CommandResult.empty();
                        }).build());
    }

    private static CommandResult help(Invocation inv, Session s) {
        List<String> words = inv.words("command");
        if (words.isEmpty()) {
            return HelpText.overview(s.table());
        }
        CommandSpec<Session> spec = s.table().find(words.get(0));
        String path = spec.name();
        for (String w : words.subList(1, words.size())) {
            if (!spec.hasSubcommands()) {
                throw new UsageException("'" + path + "' has no sub-command " + rsc.model.Names.printable(w));
            }
            spec = CommandTable.findSub(spec, w);
            path = path + " " + spec.name();
        }
        return HelpText.forCommand(spec, path);
    }

    private static CommandResult use(Invocation inv, Session s) {
        String group = inv.string("group").orElseThrow();
        s.console().use(group);
        // only what is already known: 'use' must not open the backend (with --backend auto that probes Docker)
        boolean known = !s.backendOpen() || s.topology().snapshot().groups().contains(group)
                || s.backend().groups().contains(group);
        return known ? CommandResult.ok("current group: " + group)
                : CommandResult.builder().ok("current group: " + group)
                .info("no nodes of " + group + " yet: 'create-master' starts one").build();
    }

    private static CommandResult setEvents(Invocation inv, Session s) {
        rsc.events.EventLevel level = rsc.events.EventLevel.valueOf(inv.string("level").orElseThrow().toUpperCase(java.util.Locale.ROOT));
        s.console().eventLevel(inv.string("group"), level);
        return CommandResult.ok("events above the prompt" + inv.string("group").map(g -> " of " + g).orElse("") + ": "
                + level.word() + (level == rsc.events.EventLevel.OFF ? " ('events' still lists them)" : ""));
    }

    private static CommandResult setOutput(Invocation inv, Session s) {
        String value = inv.string("value").orElseThrow();   // one of the declared choices
        s.console().jsonOutput(value.equals("json"));
        return CommandResult.ok("output: " + value);
    }

    private static CommandResult source(Invocation inv, Session s) {
        ScriptRunner.source(s.engine(), Path.of(inv.string("file").orElseThrow()));
        return CommandResult.empty();
    }

    static Option groupOption() {
        return Option.value("group", ValueType.GROUP, "G", "the group (default: the current group)");
    }
}

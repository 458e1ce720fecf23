package rsc.catalog;

import rsc.command.CommandKind;
import rsc.command.CommandSpec;
import rsc.session.Session;
import rsc.command.Invocation;
import rsc.command.Option;
import rsc.command.Param;
import rsc.command.ValueType;
import rsc.ops.PasswordRotation;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** {@code rotate-password}: a day-2 operation on a running group. */
final class RotationCommands {

    private RotationCommands() {
    }

    static List<CommandSpec<Session>> specs() {
        return List.of(CommandSpec.<Session>command("rotate-password")
                .summary("change a group's password with a window in which the old and the new both work")
                .param(Param.optional("group", ValueType.GROUP, "the group (default: the current group)"))
                .option(Option.value("password-file", ValueType.FILE, "F",
                        "the new password (default: env RSC_PASSWORD, else generated)"))
                .kind(CommandKind.CHANGES)
                .example("rotate-password").example("rotate-password orders --password-file /run/keys/orders")
                .handler((inv, s) -> PasswordRotation.run(s, GroupCommands.group(inv, s), request(inv), s.ui().progress()))
                .planner((inv, s) -> PasswordRotation.plan(s, GroupCommands.group(inv, s), request(inv)))
                .build());
    }

    private static PasswordRotation.Request request(Invocation inv) {
        return new PasswordRotation.Request(inv.string("password-file").map(Path::of), Optional.empty());
    }
}

package rsc.catalog;

import rsc.command.CommandKind;
import rsc.command.CommandSpec;
import rsc.command.Invocation;
import rsc.command.Option;
import rsc.command.Param;
import rsc.command.ValueType;
import rsc.ops.Backup;
import rsc.ops.Restore;
import rsc.session.Session;

import java.nio.file.Path;
import java.util.List;

/** Day-2 data commands: backup (an RDB file from an in-sync replica) and restore (into a new group). */
final class BackupCommands {

    private BackupCommands() {
    }

    static List<CommandSpec<Session>> specs() {
        return List.of(
                CommandSpec.<Session>command("backup").summary("write the group's data to an RDB file, taken from an in-sync replica")
                        .param(Param.optional("group", ValueType.GROUP, "the group (default: the current group)"))
                        .option(Option.value("to", ValueType.FILE, "FILE", "the backup file (written 0600; refused when it exists)"))
                        .option(Option.flag("force", "replace an existing FILE (once the new backup is whole)"))
                        .kind(CommandKind.CHANGES)
                        .example("backup --to /var/backups/orders.rdb").example("backup orders --to orders.rdb --force")
                        .handler((inv, s) -> Backup.run(s, GroupCommands.group(inv, s), to(inv), inv.flag("force"),
                                s.ui().progress()))
                        .planner((inv, s) -> Backup.plan(s, GroupCommands.group(inv, s), to(inv), inv.flag("force")))
                        .build(),
                CommandSpec.<Session>command("restore").summary("create a new group whose master starts with a backup's data")
                        .param(Param.required("group", ValueType.GROUP, "the new group (refused when it exists)"))
                        .option(Option.value("from", ValueType.FILE, "FILE", "the RDB file (from 'backup' or any Redis)"))
                        .option(Option.value("port", ValueType.PORT, "P", "the master's port (local backend; default 6379 or the next free)"))
                        .option(Option.value("password-file", ValueType.FILE, "F", "the new group's password (default: env RSC_PASSWORD, else generated)"))
                        .option(Option.flag("no-auth", "create the group without a password (not recommended)"))
                        .option(Option.value("serve-address", ValueType.WORD, "HOST",
                                "the address the new master reaches this console at (default: 127.0.0.1; Swarm: the manager's)"))
                        .kind(CommandKind.CHANGES)
                        .example("restore orders-copy --from /var/backups/orders.rdb")
                        .handler((inv, s) -> Restore.run(s, request(inv), s.ui().progress()))
                        .planner((inv, s) -> Restore.plan(s, request(inv)))
                        .build());
    }

    private static Path to(Invocation inv) {
        return Path.of(inv.string("to").orElseThrow(() -> new rsc.error.UsageException("backup needs --to FILE")));
    }

    private static Restore.Request request(Invocation inv) {
        Path from = Path.of(inv.string("from").orElseThrow(() -> new rsc.error.UsageException("restore needs --from FILE")));
        return new Restore.Request(inv.string("group").orElseThrow(), from.toAbsolutePath().normalize(),
                inv.integer("port"), GroupCommands.password(inv), inv.string("serve-address"));
    }
}

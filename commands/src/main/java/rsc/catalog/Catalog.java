package rsc.catalog;

import rsc.command.CommandSpec;
import rsc.session.Session;
import rsc.command.CommandTable;

import java.util.ArrayList;
import java.util.List;

/** Assembles every command family into the one table the console, scripts and tests use. */
public final class Catalog {

    private Catalog() {
    }

    public static CommandTable<Session> table() {
        List<CommandSpec<Session>> all = new ArrayList<>();
        all.addAll(SessionCommands.specs());
        all.addAll(GroupCommands.specs());
        all.addAll(BackupCommands.specs());
        all.addAll(SentinelCommands.specs());
        all.addAll(RedisCommands.specs());
        all.addAll(ConfigCommands.specs());
        all.addAll(IncidentCommands.specs());
        all.addAll(RunbookCommands.specs());
        all.addAll(SwarmCommands.specs());
        all.addAll(AttachCommands.specs());
        all.addAll(RotationCommands.specs());
        all.addAll(UpgradeCommands.specs());
        return new CommandTable<>(all);
    }
}

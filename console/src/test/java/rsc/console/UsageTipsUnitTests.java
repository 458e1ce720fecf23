package rsc.console;

import org.jline.console.ArgDesc;
import org.jline.console.CmdDesc;
import org.jline.console.CmdLine;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.Test;
import rsc.catalog.Catalog;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The usage tail tip for a handful of lines: the command's summary, then one entry per word (sub-command words as
 * declared, the alternatives while a sub-command is still to come, then the usage of what they reach), or none.
 */
class UsageTipsUnitTests {

    private static final String WAIT = "block until something holds, with progress; fail on timeout";
    private static final String AGREEMENT = "until every sentinel names the same master, with no failover in progress";
    private static final String SENTINEL_SET = "SENTINEL SET on every sentinel of the group (down-after, "
            + "failover-timeout, quorum, parallel-syncs), read back from each";

    private final UsageTips tips = new UsageTips(Catalog.table());

    /** The tip for {@code line}, its words split as JLine's parser does (a trailing blank is an empty word). */
    private CmdDesc tip(String line) {
        List<String> words = new ArrayList<>(Arrays.asList(line.trim().split("\\s+")));
        if (line.endsWith(" ")) {
            words.add("");
        }
        return tips.apply(new CmdLine(line, line, "", words, CmdLine.DescriptionType.COMMAND));
    }

    private void assertTip(String line, String summary, String... entries) {
        CmdDesc desc = tip(line);
        assertEquals(List.of(summary), desc.getMainDesc().stream().map(AttributedString::toString).toList(), line);
        assertEquals(List.of(entries), desc.getArgsDesc().stream().map(ArgDesc::getName).toList(), line);
    }

    @Test
    void nothingForAnEmptyLineOrAnUnknownCommand() {
        assertNull(tip(""));
        assertNull(tip(" "));
        assertNull(tip("frobnicate now"));
    }

    @Test
    void aCommandWithSubCommandsListsThemUntilOneIsTyped() {
        assertTip("wait ", WAIT, "switch-master|master-up|agreement|replicas|sentinels");
        assertTip("sentinel", "what the sentinels see: status and raw views",
                "status|masters|replicas|sentinels|ckquorum|reset|set");
        assertTip("config ", "read or change a Redis parameter on every data node of a group", "set|get");
    }

    @Test
    void aSubCommandShowsItsUsageAfterItsName() {
        assertTip("wait agreement ", AGREEMENT, "agreement", "[--group=G]", "[--timeout=D]");
        assertTip("wait agr", AGREEMENT, "agreement", "[--group=G]", "[--timeout=D]");
        assertTip("sentinel set quorum 3 --force", SENTINEL_SET, "set",
                "down-after|down-after-milliseconds|failover-timeout|quorum|parallel-syncs", "VALUE", "[--group=G]",
                "[--force]");
        assertTip("config get maxmemory", "CONFIG GET on every data node of the group: each node's value, differences "
                + "flagged", "get", "PARAM", "[--group=G]");
        assertTip("scale slaves 2 extra words past the usage", "grow or shrink the replicas; returns when every "
                + "replica's link is up", "slaves", "N", "[--group=G]", "[--port=P]", "[--min-replicas-to-write=N]");
    }

    @Test
    void nothingForAnUnknownSubCommandOrAnOptionWhereOneIsExpected() {
        assertNull(tip("config sideways"));
        assertNull(tip("scale --help"));
        assertNull(tip("config -- get"));
    }

    @Test
    void wordsAfterDoubleDashDoNotChangeTheUsage() {
        assertTip("use -- --odd", "make GROUP the current group (the default of every command)", "GROUP");
        assertTip("redis -- DEL k --dry-run", "run any Redis command on the group's master, or on --node",
                "COMMAND...", "[--node=NAME]", "[--for=D]", "[--group=G]");
    }
}

package rsc.ops;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import rsc.model.Node;
import rsc.redis.RdbCheck;
import rsc.redis.RedisNodeClient;
import rsc.session.Outcome;
import rsc.testing.RecordingInteraction;
import rsc.testing.SwarmTestBed;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Backup and restore on the real swarm: the snapshot comes over the replica's published port from whichever swarm node
 * runs it, and the restored master, wherever Swarm places its task, fetches the file from the console at the manager's
 * address. Every key of the source is in the restored group. Group names start with {@code bk}.
 */
@Tag("swarm")
class BackupRestoreSwarmIntegrationTests {

    private static SwarmTestBed bed;
    private static Path dir;

    @BeforeAll
    static void open() throws Exception {
        bed = new SwarmTestBed();
        dir = Files.createTempDirectory("rsc-bk-swarm-");
    }

    @AfterAll
    static void close() throws Exception {
        try {
            if (bed != null) {
                bed.close();
            }
        } finally {
            if (dir != null) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    private static RedisNodeClient node(String group, int index) {
        Node n = bed.engine().session().backend().nodes(group).stream().filter(x -> x.isRedis() && x.index() == index)
                .findFirst().orElseThrow();
        return bed.engine().session().redis().node(n.announced());
    }

    @Test
    void aBackupOfAReplicaRestoresEveryKeyIntoANewGroup() throws Exception {
        String g = bed.newGroup("bk");
        String copy = bed.newGroup("bkr");
        bed.ok("create-master " + g);
        bed.ok("scale slaves 1");
        int keys = BackupData.write(node(g, 1));
        node(g, 1).waitReplicas(1, 5000);
        long masterSyncs = Long.parseLong(node(g, 1).info("stats").get("sync_full"));

        Path file = dir.resolve(g + ".rdb");
        Outcome backup = bed.ok("backup " + g + " --to " + file);
        System.out.println("BACKUP-SWARM " + String.join(" ", RecordingInteraction.render(backup.result())));
        assertEquals(masterSyncs, Long.parseLong(node(g, 1).info("stats").get("sync_full")), "the master served no sync");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(keys, RdbCheck.inspect(file).keys());

        Outcome restore = bed.ok("restore " + copy + " --from " + file);
        String said = String.join(" ", RecordingInteraction.render(restore.result()));
        System.out.println("RESTORE-SWARM " + said);
        assertTrue(said.contains(keys + " keys"), said);
        BackupData.assertSameData(node(g, 1), node(copy, 1), keys);
    }
}

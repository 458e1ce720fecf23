package rsc.ops;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import rsc.error.CancelledException;
import rsc.model.Node;
import rsc.redis.RdbCheck;
import rsc.redis.RdbSummary;
import rsc.redis.RedisNodeClient;
import rsc.session.Outcome;
import rsc.session.Session;
import rsc.testing.LocalTestBed;
import rsc.testing.RecordingInteraction;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15 item 5 on the local backend, real Redis: a group with a replica holding keys of every common type (TTLs
 * included) is backed up from its replica (the master serves no sync), the file is 0600 and a whole RDB, and a restore
 * into a new group holds every key with the same value. Refused: a group without an in-sync replica, a restore into a
 * group that exists, a damaged or cut-off file, a file newer than the node's Redis (after the node was made: the new
 * group is removed). Ctrl-C in the middle of a transfer leaves no partial file.
 */
@Tag("integration")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackupRestoreIntegrationTests {

    private static LocalTestBed bed;
    private static int port;
    private static int keys;
    private static Path dir;
    private static Path backup;

    @BeforeAll
    static void start() throws Exception {
        bed = new LocalTestBed();
        port = LocalTestBed.freePorts(12);
        dir = Files.createTempDirectory(bed.stateDir(), "backups-");
        backup = dir.resolve("src.rdb");
        bed.ok("create-master src --port " + port + " --password-file " + bed.passwordFile("backup-pw"));
        bed.ok("scale slaves 1 --port " + (port + 1));
        keys = BackupData.write(node("src", 1));
        node("src", 1).waitReplicas(1, 5000);
    }

    @AfterAll
    static void stop() throws Exception {
        if (bed != null) {
            bed.close();
        }
    }

    private static Session session() {
        return bed.engine().session();
    }

    private static Node nodeOf(String group, int index) {
        return session().backend().nodes(group).stream().filter(n -> n.isRedis() && n.index() == index).findFirst()
                .orElseThrow();
    }

    private static RedisNodeClient node(String group, int index) {
        return session().redis().node(nodeOf(group, index).announced());
    }

    private static long syncFull(RedisNodeClient n) {
        return Long.parseLong(n.info("stats").get("sync_full"));
    }

    private static List<String> leftovers() throws Exception {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".part")).toList();
        }
    }

    private static String error(Outcome o) {
        String m = o.error().getMessage();
        assertFalse(m.contains("\n"), "one line: " + m);
        return m;
    }

    @Test
    @Order(1)
    void theBackupComesFromTheReplicaAndIsAWholeRdbReadableOnlyByTheOwner() throws Exception {
        String plan = String.join("\n", RecordingInteraction.render(bed.ok("backup src --to " + backup + " --dry-run").result()));
        assertTrue(plan.contains("src-redis-2") && plan.contains("REPLCONF rdb-only 1"), plan);
        assertFalse(Files.exists(backup), "a dry run writes nothing");

        long masterSyncs = syncFull(node("src", 1));
        long replicaSyncs = syncFull(node("src", 2));
        Outcome o = bed.ok("backup src --to " + backup);
        String said = String.join("\n", RecordingInteraction.render(o.result()));
        assertTrue(said.contains("from src-redis-2 (replica") && said.contains(keys + " keys"), said);
        assertEquals(masterSyncs, syncFull(node("src", 1)), "the master served no sync");
        assertEquals(replicaSyncs + 1, syncFull(node("src", 2)), "the replica served the snapshot");

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(backup)));
        RdbSummary rdb = RdbCheck.inspect(backup);
        assertEquals(keys, rdb.keys());
        assertEquals("verified", rdb.checksum());
        assertTrue(new String(Files.readAllBytes(backup), 0, 5, StandardCharsets.US_ASCII).equals("REDIS"));
        assertEquals(List.of(), leftovers());
        System.out.println("BACKUP " + said.replace('\n', ' '));

        Outcome again = bed.fails("backup src --to " + backup);
        assertTrue(error(again).contains("exists: --force replaces it"), error(again));
    }

    @Test
    @Order(2)
    void aRestoreHoldsEveryKeyOfTheSourceWithItsValue() {
        String plan = String.join("\n", RecordingInteraction.render(bed.ok("restore copy --from " + backup + " --dry-run").result()));
        assertTrue(plan.contains("REPLICAOF 127.0.0.1") && plan.contains(keys + " keys"), plan);
        assertTrue(session().backend().nodes("copy").isEmpty(), "a dry run starts nothing");

        Outcome o = bed.ok("restore copy --from " + backup + " --port " + (port + 2));
        String said = String.join("\n", RecordingInteraction.render(o.result()));
        System.out.println("RESTORE " + said.replace('\n', ' '));
        assertTrue(said.contains("restored copy") && said.contains(keys + " keys"), said);
        assertEquals("copy", session().console().group(), "the restored group is current, as after create-master");
        RedisNodeClient restored = node("copy", 1);
        assertTrue(restored.replication().isMaster(), "the restored master is a master");
        BackupData.assertSameData(node("src", 1), restored, keys);
        restored.raw(List.of("SET", "after-restore", "1"));     // it takes writes
    }

    /** As on Swarm, where the node connects to the manager's address rather than loopback. */
    @Test
    @Order(3)
    void theNodeFetchesTheFileFromAnotherAddressOfThisMachine() throws Exception {
        String address = java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(i -> java.util.Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof java.net.Inet4Address && !a.isLoopbackAddress()).map(java.net.InetAddress::getHostAddress)
                .findFirst().orElseThrow(() -> new AssertionError("this machine has no IPv4 address but loopback"));
        Outcome o = bed.ok("restore via --from " + backup + " --port " + (port + 6) + " --serve-address " + address);
        String said = String.join("\n", RecordingInteraction.render(o.result()));
        assertTrue(said.contains("served from " + address + ":") && said.contains(keys + " keys"), said);
        assertEquals(keys, node("via", 1).keyCount());
        bed.ok("destroy via --yes");
    }

    /** As {@code events --export}: a target that cannot be written is one line naming it and saying why. */
    @Test
    @Order(3)
    void aTargetThatCannotBeWrittenIsOneLineSayingWhyAsAnExportIs() throws Exception {
        Path missing = dir.resolve("no/such/dir/b.rdb");
        Path aFile = Files.writeString(dir.resolve("plain"), "x");
        assertEquals("cannot write " + missing + ": no directory " + missing.getParent() + " (create it first)",
                error(bed.fails("backup src --to " + missing)));
        assertEquals("cannot write " + dir + ": it is a directory", error(bed.fails("backup src --to " + dir)));
        assertEquals("cannot write " + aFile.resolve("b.rdb") + ": " + aFile + " is not a directory",
                error(bed.fails("backup src --to " + aFile.resolve("b.rdb"))));
        assertEquals("cannot write /proc/rsc-backup.rdb: /proc takes no new files",
                error(bed.fails("backup src --to /proc/rsc-backup.rdb")));
        // a directory nobody may write to, root included (tests run as root, which file modes do not stop)
        Path locked = Files.createDirectory(dir.resolve("locked"));
        chattr("+i", locked);
        try {
            assertEquals("cannot write " + locked.resolve("b.rdb") + ": operation not permitted",
                    error(bed.fails("backup src --to " + locked.resolve("b.rdb"))));
        } finally {
            chattr("-i", locked);
        }
        Files.delete(aFile);
        assertEquals(List.of(), leftovers());
    }

    private static void chattr(String change, Path p) throws Exception {
        Process c = new ProcessBuilder("chattr", change, p.toString()).redirectErrorStream(true).start();
        String out = new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, c.waitFor(), "chattr " + change + " (e2fsprogs, on ext4) is needed: " + out);
    }

    @Test
    @Order(3)
    void noInSyncReplicaNoBackup() throws Exception {
        bed.ok("create-master solo --port " + (port + 3) + " --no-auth");
        Path file = dir.resolve("solo.rdb");
        long syncs = syncFull(node("solo", 1));
        String m = error(bed.fails("backup solo --to " + file));
        assertTrue(m.contains("no in-sync replica in 'solo'") && m.contains("never takes it from the master"), m);
        assertFalse(Files.exists(file));
        assertEquals(List.of(), leftovers());
        assertEquals(syncs, syncFull(node("solo", 1)), "the master was not asked");
        bed.ok("destroy solo --yes");
    }

    @Test
    @Order(4)
    void anExistingGroupIsNotATarget() {
        int before = session().backend().nodes("src").size();
        String m = error(bed.fails("restore src --from " + backup));
        assertTrue(m.contains("group 'src' already exists") && m.contains("restore makes a new group"), m);
        assertEquals(before, session().backend().nodes("src").size());
    }

    @Test
    @Order(5)
    void aDamagedOrCutOffFileIsRefusedBeforeAnythingStarts() throws Exception {
        byte[] whole = Files.readAllBytes(backup);
        byte[] flipped = whole.clone();
        flipped[whole.length / 2] ^= 0x40;
        Path bad = Files.write(dir.resolve("flipped.rdb"), flipped);
        Path cut = Files.write(dir.resolve("cut.rdb"), Arrays.copyOf(whole, whole.length * 2 / 3));
        for (Path p : List.of(bad, cut)) {
            String m = error(bed.fails("restore bad --from " + p + " --port " + (port + 4)));
            assertTrue(m.contains("is not a valid RDB file"), m);
            assertTrue(session().backend().nodes("bad").isEmpty(), "nothing started for " + p);
            assertFalse(session().backend().groups().contains("bad"));
        }
    }

    @Test
    @Order(6)
    void aFileNewerThanTheNodesRedisIsRefusedAndTheNewGroupRemoved() throws Exception {
        byte[] b = Files.readAllBytes(backup);
        byte[] v = "0099".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy("0011".getBytes(StandardCharsets.US_ASCII), 0, b, 5, 4);
        Arrays.fill(b, b.length - 8, b.length, (byte) 0);           // checksum "off", as rdbchecksum no writes it
        Path newer = Files.write(dir.resolve("v11.rdb"), b);
        assertEquals(11, RdbCheck.inspect(newer).version());
        String m = error(bed.fails("restore newer --from " + newer + " --port " + (port + 5)));
        assertTrue(m.contains("is RDB version 11") && m.contains("reads up to version 10")
                && m.contains("removed the new group 'newer'"), m);
        assertTrue(session().backend().nodes("newer").isEmpty(), "no half-made group");
        assertTrue(session().passwords().of("newer").isEmpty(), "its password is forgotten too");
        assertEquals(4, v.length);
    }

    /** The node is sent to an address nothing answers at (TEST-NET-1), so the restore waits until interrupted. */
    @Test
    @Order(7)
    void ctrlCDuringARestoreRemovesTheNewGroup() throws Exception {
        AtomicReference<Outcome> outcome = new AtomicReference<>();
        Thread worker = new Thread(() -> outcome.set(bed.engine().execute("restore stuck --from " + backup + " --port "
                + (port + 7) + " --serve-address 192.0.2.1")));
        worker.start();
        long until = System.nanoTime() + 20_000_000_000L;
        while (bed.ui().progressLines().stream().noneMatch(l -> l.contains("waiting for stuck-redis-1 to ask for the file"))
                && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertFalse(session().backend().nodes("stuck").isEmpty(), "the master was started");
        worker.interrupt();
        worker.join(15_000);
        assertFalse(worker.isAlive(), "the restore stopped");
        assertInstanceOf(CancelledException.class, outcome.get().error(), String.valueOf(outcome.get().error()));
        assertTrue(error(outcome.get()).contains("removed the new group 'stuck'"), error(outcome.get()));
        assertTrue(session().backend().nodes("stuck").isEmpty(), "no half-made group");
        assertTrue(session().passwords().of("stuck").isEmpty());
    }

    @Test
    @Order(8)
    void ctrlCInTheMiddleOfATransferLeavesNoPartialFile() throws Exception {
        RedisNodeClient replica = node("src", 2);
        replica.configSet("rdb-key-save-delay", "20000");         // 20 ms a key: the snapshot takes ~9 s
        Path file = dir.resolve("cancelled.rdb");
        AtomicReference<Outcome> outcome = new AtomicReference<>();
        try {
            Thread worker = new Thread(() -> outcome.set(bed.engine().execute("backup src --to " + file)));
            worker.start();
            long until = System.nanoTime() + 20_000_000_000L;
            while (leftovers().isEmpty() && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            assertFalse(leftovers().isEmpty(), "the transfer began");
            Thread.sleep(1000);
            worker.interrupt();                                   // what Ctrl-C does to the command's thread
            worker.join(10_000);
            assertFalse(worker.isAlive(), "the backup stopped");
        } finally {
            replica.configSet("rdb-key-save-delay", "0");
        }
        assertInstanceOf(CancelledException.class, outcome.get().error(), String.valueOf(outcome.get().error()));
        assertTrue(error(outcome.get()).contains("partial file was removed"), error(outcome.get()));
        assertEquals(List.of(), leftovers());
        assertFalse(Files.exists(file));
    }
}

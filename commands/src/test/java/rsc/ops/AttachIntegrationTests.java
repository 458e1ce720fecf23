package rsc.ops;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import rsc.model.Node;
import rsc.session.Outcome;
import rsc.testing.LocalTestBed;
import rsc.testing.RecordingInteraction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A group built elsewhere (another console's state) adopted by its sentinels: reads, doctor and failover work; nothing is removed. */
@Tag("integration")
class AttachIntegrationTests {

    @Test
    void anAttachedGroupIsReadAndFailedOverButNeverDestroyed() throws Exception {
        try (LocalTestBed owner = new LocalTestBed(); LocalTestBed operator = new LocalTestBed()) {
            int base = LocalTestBed.freePorts(20);
            owner.ok("create-master legacy --port " + base);
            owner.ok("scale slaves 1 --port " + (base + 1));
            owner.ok("scale sentinels 3 --port " + (base + 10) + " --down-after 2000 --failover-timeout 10000");
            Node sentinel = owner.engine().session().backend().nodes("legacy").stream().filter(Node::isSentinel)
                    .findFirst().orElseThrow();

            operator.fails("attach legacy --sentinel 127.0.0.1:1");
            Outcome noPassword = operator.fails("attach legacy --sentinel " + sentinel.reach());
            assertTrue(noPassword.error().getMessage().contains("NOAUTH"), noPassword.error().getMessage());
            java.nio.file.Path pw = java.nio.file.Files.createTempFile("legacy", ".pw");
            java.nio.file.Files.writeString(pw, owner.engine().session().passwords().of("legacy").orElseThrow().reveal() + "\n");
            Outcome attached = operator.ok("attach legacy --sentinel " + sentinel.reach() + " --password-file " + pw);
            java.nio.file.Files.delete(pw);
            String text = String.join("\n", RecordingInteraction.render(attached.result()));
            assertTrue(text.contains("attached 'legacy'"), text);
            assertEquals(5, operator.engine().session().backend().nodes("legacy").size(), "2 data nodes and 3 sentinels: " + text);
            Outcome status = operator.ok("sentinel status");
            assertTrue(String.join("\n", RecordingInteraction.render(status.result())).contains("all 3 sentinel(s) agree"));
            operator.ok("doctor");
            operator.ok("failover --timeout 30s");
            operator.ok("wait agreement");
            operator.ok("expect master legacy-redis-127.0.0.1-" + (base + 1));

            Outcome scale = operator.fails("scale slaves 2");
            assertTrue(scale.error().getMessage().contains("is attached"), scale.error().getMessage());
            Outcome kill = operator.fails("kill master");
            assertTrue(kill.error().getMessage().contains("is attached"), kill.error().getMessage());
            Outcome destroy = operator.fails("destroy legacy --yes");
            assertTrue(destroy.error().getMessage().contains("--force"), destroy.error().getMessage());
            operator.ok("destroy legacy --force");
            assertFalse(operator.engine().session().backend().groups().contains("legacy"));
            assertEquals(5, owner.engine().session().backend().nodes("legacy").stream().filter(n -> n.state().running()).count(),
                    "forgetting an attached group touches none of its nodes");
        }
    }
}

package rsc.backend.local;

import rsc.backend.NodeSpec;
import rsc.backend.SentinelSettings;
import rsc.model.Endpoint;
import rsc.model.NodeKind;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A local node's config file: its text (persistence, password, master, the group's extra directives), written only
 * the user can read, and shown in plans with every secret replaced.
 */
final class LocalConfig {

    private LocalConfig() {
    }

    /** The config text of a node; every persistence setting is spelled out ({@code save}, {@code appendonly}). */
    static String text(NodeSpec spec, NodeRecord r, String host) {
        ConfigWriter w = new ConfigWriter()
                .line("port", r.port())
                .line("bind", host)
                .line("daemonize", "yes")
                .line("pidfile", r.pidFile())
                .line("logfile", r.logFile())
                .line("dir", r.dir().resolve("data"));
        if (spec.kind() == NodeKind.SENTINEL) {
            SentinelSettings s = spec.sentinel().orElseThrow();
            Endpoint m = spec.master().orElseThrow();
            w.line("sentinel monitor", spec.group(), m.host(), m.port(), s.quorum())
                    .line("sentinel down-after-milliseconds", spec.group(), s.downAfterMs())
                    .line("sentinel failover-timeout", spec.group(), s.failoverTimeout())
                    .line("sentinel parallel-syncs", spec.group(), 1);
            spec.password().ifPresent(pw -> w.line("requirepass", pw.reveal())
                    .line("sentinel auth-pass", spec.group(), pw.reveal())
                    .line("sentinel sentinel-pass", pw.reveal()));
        } else {
            w.lines(spec.persistence().directives());
            spec.password().ifPresent(pw -> w.line("requirepass", pw.reveal()).line("masterauth", pw.reveal()));
            spec.master().filter(m -> spec.role() == NodeSpec.StartRole.REPLICA)
                    .ifPresent(m -> w.line("replicaof", m.host(), m.port()));
        }
        w.lines(spec.config());
        return w.text();
    }

    /** A config line with any secret value replaced, for plans. */
    static String redact(String line) {
        if (line.startsWith("requirepass ") || line.startsWith("masterauth ") || line.startsWith("sentinel sentinel-pass ")) {
            return line.substring(0, line.indexOf(' ', line.startsWith("sentinel") ? 9 : 0)) + " <secret>";
        }
        if (line.startsWith("sentinel auth-pass ")) {
            return line.substring(0, line.lastIndexOf(' ')) + " <secret>";
        }
        return line;
    }
}

package rsc.backend.swarm;

import rsc.error.RscException;
import rsc.model.NodeKind;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** The POSIX {@code sh} entrypoints of node tasks (resources next to this class) and the arguments they get. */
final class NodeScripts {

    private static final Pattern DIRECTIVE = Pattern.compile("^[a-z][a-z0-9-]{0,63}$");
    /** Directives the backend sets itself: a node's port, its announced name and its master are not the user's. */
    private static final Set<String> RESERVED = Set.of("port", "replicaof", "slaveof", "replica-announce-ip",
            "replica-announce-port", "slave-announce-ip", "slave-announce-port", "include", "sentinel", "dir",
            "daemonize", "pidfile", "logfile", "rename-command");

    private NodeScripts() {
    }

    /** Each node script runs after the shared start (log, die, validation, the password, cli, sentinel_addrs). */
    static String redis() {
        return load("node-common.sh") + load("redis-node.sh");
    }

    static String sentinel() {
        return load("node-common.sh") + load("sentinel-node.sh");
    }

    static String forKind(NodeKind kind) {
        return kind == NodeKind.SENTINEL ? sentinel() : redis();
    }

    private static String load(String name) {
        try (InputStream in = NodeScripts.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new RscException("rsc is missing its resource rsc/backend/swarm/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RscException("cannot read resource rsc/backend/swarm/" + name + ": " + e.getMessage(), e);
        }
    }

    /** The container command: {@code sh -c SCRIPT rsc-node --name value ...}. */
    static List<String> command(NodeKind kind, List<List<String>> config) {
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", forKind(kind), "rsc-node"));
        cmd.addAll(arguments(config));
        return cmd;
    }

    /** Config directives as {@code redis-server} arguments, each name checked and each value free of control characters. */
    static List<String> arguments(List<List<String>> config) {
        List<String> args = new ArrayList<>();
        for (List<String> directive : config) {
            if (directive.isEmpty()) {
                continue;
            }
            String name = directive.get(0).toLowerCase(Locale.ROOT);
            if (!DIRECTIVE.matcher(name).matches()) {
                throw new RscException("'" + rsc.model.Names.printable(directive.get(0)) + "' is not a config directive name");
            }
            if (RESERVED.contains(name)) {
                throw new RscException("the swarm backend sets '" + name + "' itself; leave it out of the node's config");
            }
            args.add("--" + name);
            for (String value : directive.subList(1, directive.size())) {
                for (int i = 0; i < value.length(); i++) {
                    char c = value.charAt(i);
                    if (c < 0x20 || c == 0x7f) {
                        throw new RscException("the value of '" + name + "' contains a control character");
                    }
                }
                if (value.startsWith("--")) {
                    throw new RscException("the value of '" + name + "' must not start with '--'");
                }
                args.add(value);
            }
        }
        return args;
    }
}

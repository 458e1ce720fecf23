package rsc.console;

import rsc.error.UsageException;
import rsc.model.ImageName;
import rsc.model.Names;
import rsc.backend.Settings;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The command line of {@code rsc}, parsed once. Every mistake is a {@link UsageException} (exit status 2).
 *
 * @param commands  the {@code -c} text, or null
 * @param file      the script to replay, or null
 * @param keepGoing run the rest of a script after a failure
 * @param json      print every result as JSON
 * @param help      print usage and stop
 * @param version   print the version and stop
 * @param backend   {@code --backend}, when given
 * @param stateDir  {@code --state-dir}, when given
 * @param group     {@code --group}, when given
 * @param image     {@code --image}, when given
 * @param network   {@code --network}, when given
 */
public record Arguments(String commands, Path file, boolean keepGoing, boolean json, boolean help, boolean version,
                        Optional<String> backend, Optional<Path> stateDir, Optional<String> group,
                        Optional<String> image, Optional<String> network) {

    private static final Set<String> BACKENDS = Set.of("local", "swarm", "auto");

    public static final String USAGE = """
            usage: rsc [OPTIONS]                 interactive console (on a terminal)
                   rsc [OPTIONS] FILE            replay a script (also: --file FILE; '-' reads stdin)
                   rsc [OPTIONS] -c "CMD; CMD"   run commands and exit
                   ... | rsc [OPTIONS]           run the commands read from stdin
                   rsc --resident status|stop    the warm rsc that answers read-only one-shots
            options:
              -c, --command TEXT   commands to run, separated by ';'
              -f, --file FILE      script to replay: one command a line, # comments
              --keep-going         do not stop a script at the first failure (exit status is the first failure's)
              --backend B          local, swarm or auto (default: $RSC_BACKEND or auto)
              --state-dir DIR      where the local backend keeps its nodes (default: ~/.rsc/local)
              --group G            the group current at start (default: the only group, else mymaster)
              --image IMG          the Redis image Swarm runs (default: redis:7-alpine)
              --network NET        the overlay network Swarm uses (default: rsc-net)
              --json               print every result as one JSON document per command
              -h, --help           this text
              --version            print the version
            environment: RSC_RESIDENT=0 runs every one-shot in its own JVM; RSC_RESIDENT_IDLE=SECONDS (default 600).
            exit status: 0 ok, 1 a command failed, 2 usage error, 130 cancelled.
            Inside the console, 'help' lists the commands.""";

    public static Arguments parse(List<String> args) {
        String commands = null;
        Path file = null;
        boolean keepGoing = false;
        boolean json = false;
        boolean help = false;
        boolean version = false;
        String backend = null;
        Path stateDir = null;
        String group = null;
        String image = null;
        String network = null;
        Deque<String> rest = new ArrayDeque<>(args);
        while (!rest.isEmpty()) {
            String arg = rest.poll();
            String name = arg;
            String inline = null;
            if (arg.startsWith("--") && arg.indexOf('=') > 2) {
                name = arg.substring(0, arg.indexOf('='));
                inline = arg.substring(arg.indexOf('=') + 1);
            }
            switch (name) {
                case "-c", "--command" -> commands = once(commands, name, value(name, inline, rest));
                case "-f", "--file" -> file = Path.of(once(file, name, value(name, inline, rest)));
                case "--backend" -> {
                    backend = once(backend, name, value(name, inline, rest));
                    if (!BACKENDS.contains(backend)) {
                        throw new UsageException("--backend must be local, swarm or auto, not '" + Names.printable(backend) + "'");
                    }
                }
                case "--state-dir" -> stateDir = Path.of(once(stateDir, name, value(name, inline, rest)));
                case "--group" -> group = Names.check(once(group, name, value(name, inline, rest)), "--group");
                case "--image" -> image = ImageName.check(once(image, name, value(name, inline, rest)), "--image");
                case "--network" -> network = once(network, name, value(name, inline, rest));
                case "--keep-going" -> keepGoing = flag(inline, name);
                case "--json" -> json = flag(inline, name);
                case "-h", "--help" -> help = flag(inline, name);
                case "--version" -> version = flag(inline, name);
                default -> {
                    if (arg.startsWith("-") && !arg.equals("-")) {
                        throw new UsageException("unknown option '" + Names.printable(arg) + "' (try 'rsc --help')");
                    }
                    if (file != null) {
                        throw new UsageException("one script at a time: '" + file + "' and '" + Names.printable(arg) + "'");
                    }
                    file = Path.of(arg);
                }
            }
        }
        if (commands != null && file != null) {
            throw new UsageException("-c and a script file exclude each other");
        }
        return new Arguments(commands, file, keepGoing, json, help, version, Optional.ofNullable(backend),
                Optional.ofNullable(stateDir), Optional.ofNullable(group), Optional.ofNullable(image),
                Optional.ofNullable(network));
    }

    /** True when the script is stdin ({@code rsc -}). */
    public boolean fileIsStdin() {
        return file != null && file.toString().equals("-");
    }

    /** The environment's settings with this command line's overrides. */
    public Settings applyTo(Settings base) {
        Settings s = base;
        if (backend.isPresent()) {
            s = s.withBackend(backend.get());
        }
        if (stateDir.isPresent()) {
            s = s.withStateDir(stateDir.get());
        }
        if (group.isPresent()) {
            s = s.withGroup(group.get());
        }
        if (image.isPresent()) {
            s = s.withImage(image.get());
        }
        if (network.isPresent()) {
            s = s.withNetwork(network.get());
        }
        return s;
    }

    private static String value(String name, String inline, Deque<String> rest) {
        if (inline != null) {
            return inline;
        }
        if (rest.isEmpty()) {
            throw new UsageException(name + " needs a value (try 'rsc --help')");
        }
        return rest.poll();
    }

    private static boolean flag(String inline, String name) {
        if (inline != null) {
            throw new UsageException(name + " takes no value");
        }
        return true;
    }

    private static String once(Object previous, String name, String value) {
        if (previous != null) {
            throw new UsageException(name + " is given twice");
        }
        return value;
    }
}

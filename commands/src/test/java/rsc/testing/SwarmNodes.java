package rsc.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * The workers of the multi-node test bed ({@code scripts/swarm-testbed.sh --nodes 3}): worker K answers at
 * 10.77.K.2, lives in network namespace nK and is cut off from the rest by taking the host side of its link (vhK)
 * down. Tests act here as an operator's network would fail, never through rsc.
 */
public final class SwarmNodes {

    private static final Pattern WORKER = Pattern.compile("^10\\.77\\.([2-9])\\.2$");

    private SwarmNodes() {
    }

    /** Returns when the swarm has at least {@code n} ready nodes; else fails under CI=true, and skips otherwise. */
    public static void require(int n) {
        long ready = DockerCli.run("node", "ls", "--format", "{{.Status}}").stream().filter("Ready"::equals).count();
        if (ready < n) {
            String msg = "the swarm has " + ready + " ready node(s), this test needs " + n
                    + ": run 'bash scripts/swarm-testbed.sh --nodes " + n + "' (as root)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(msg);
            }
            System.err.println("SKIPPING multi-node swarm tests: " + msg);
            abort(msg);
        }
    }

    /** The worker number K of a swarm node address 10.77.K.2, empty for the manager. */
    public static Optional<Integer> worker(String address) {
        Matcher m = WORKER.matcher(address);
        return m.matches() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
    }

    /** Takes worker K's link down (cut off: its containers keep running, isolated) or up again. */
    public static void link(int k, boolean up) {
        Result r = run(List.of("ip", "link", "set", "vh" + k, up ? "up" : "down"), Map.of(), 10);
        if (r.exit() != 0) {
            throw new AssertionError("ip link set vh" + k + ": " + r.output());
        }
    }

    /**
     * Runs a command inside worker K's network namespace, as a process on that node would, for at most
     * {@code seconds}; output and exit code.
     */
    public static Result inNamespace(int k, List<String> command, Map<String, String> env, int seconds) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", "n" + k));
        cmd.addAll(command);
        return run(cmd, env, seconds);
    }

    /**
     * Stops worker K's Docker Engine as an operator's {@code systemctl stop docker} would (SIGTERM: it stops its
     * containers, then exits) and returns once the process is gone.
     */
    public static void stopEngine(int k) {
        Result r = run(List.of("sh", "-c", "p=$(cat /var/run/rsc-docker" + k + ".pid) && kill -TERM $p && i=0 && "
                + "while kill -0 $p 2>/dev/null && [ $i -lt 120 ]; do sleep 0.5; i=$((i+1)); done; "
                + "kill -KILL $p 2>/dev/null; sleep 1; ! kill -0 $p 2>/dev/null || grep -q Z /proc/$p/stat"),
                Map.of(), 75);
        if (r.exit() != 0) {
            throw new AssertionError("could not stop the engine of worker " + k + ": " + r.output());
        }
    }

    /** Starts worker K's engine again, as the test bed starts it ({@code swarm-testbed.sh --engine K}); it rejoins. */
    public static void startEngine(int k) {
        java.nio.file.Path script = java.nio.file.Path.of("..", "scripts", "swarm-testbed.sh");
        if (!java.nio.file.Files.exists(script)) {
            script = java.nio.file.Path.of("scripts", "swarm-testbed.sh");
        }
        Result r = run(List.of("bash", script.toString(), "--engine", Integer.toString(k)), Map.of(), 90);
        if (r.exit() != 0) {
            throw new AssertionError("could not start the engine of worker " + k + ": " + r.output());
        }
    }

    /**
     * Cuts this machine (the first manager) off from every worker namespace while the workers still reach each other
     * (packets to and from 10.77.0.0/16 dropped here, forwarding between the workers' links untouched), or heals it.
     */
    public static void partitionThisMachine(boolean cut) {
        List<List<String>> rules = List.of(List.of("INPUT", "-s"), List.of("OUTPUT", "-d"));
        for (List<String> r : rules) {
            if (cut) {
                run(List.of("iptables", "-I", r.get(0), r.get(1), "10.77.0.0/16", "-j", "DROP"), Map.of(), 10);
            } else {
                for (int i = 0; i < 10 && run(List.of("iptables", "-D", r.get(0), r.get(1), "10.77.0.0/16", "-j", "DROP"),
                        Map.of(), 10).exit() == 0; i++) {
                    // every copy of the rule, should a test have added it twice
                }
            }
        }
    }

    /** What a command printed and how it ended. */
    public record Result(int exit, String output) {
    }

    private static Result run(List<String> cmd, Map<String, String> env, int seconds) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().putAll(env);
            Process p = pb.start();
            p.getOutputStream().close();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "(timeout)");
            }
            return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
        } catch (IOException e) {
            throw new AssertionError("cannot run " + cmd + " (install iproute2): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}

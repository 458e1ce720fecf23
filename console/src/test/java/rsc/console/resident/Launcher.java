package rsc.console.resident;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The real {@code ./rsc} launcher (bash), run from a scratch directory with the test's class path instead of a
 * packaged build, a resident directory of the test's and a local state directory.
 */
final class Launcher {

    static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

    /** What one run printed and its exit status. */
    record Run(int status, String out, String err) {
    }

    private final Path work;
    private final Map<String, String> env;

    /** {@code env}: the RSC_* environment every run gets (a null value removes the variable, HOME too). */
    Launcher(Path work, Map<String, String> env) {
        this.work = work;
        this.env = env;
    }

    Process start(Map<String, String> extra, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("bash", ROOT.resolve("rsc").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("RSC_"));
        pb.environment().put("RSC_CLASSPATH", System.getProperty("java.class.path"));
        apply(pb.environment(), env);
        apply(pb.environment(), extra);
        return pb.start();
    }

    /**
     * The launcher's quick way alone ({@code resident-client.pl --launch}), as {@code ./rsc} execs it, but naming a
     * launcher that does not exist: whatever it cannot answer itself fails instead of going back to bash.
     */
    Run runQuickWayAlone(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("perl", ROOT.resolve("scripts/resident-client.pl").toString(),
                "--launch", work.toRealPath().toString(), work.resolve("no-such-launcher/rsc").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("RSC_"));
        pb.environment().put("RSC_CLASSPATH", System.getProperty("java.class.path"));
        apply(pb.environment(), env);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("the quick way did not finish in 60 s");
        }
        return new Run(p.exitValue(), out, err);
    }

    private static void apply(Map<String, String> to, Map<String, String> changes) {
        changes.forEach((k, v) -> {
            if (v == null) {
                to.remove(k);
            } else {
                to.put(k, v);
            }
        });
    }

    Run run(Map<String, String> extra, String... args) throws Exception {
        Process p = start(extra, args);
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("./rsc " + String.join(" ", args) + " did not finish in 60 s");
        }
        return new Run(p.exitValue(), out, err);
    }

    Run run(String... args) throws Exception {
        return run(Map.of(), args);
    }
}

package rsc.ops;

import rsc.backend.Progress;
import rsc.backend.SecretRollout;
import rsc.error.CancelledException;
import rsc.error.RscException;
import rsc.error.UsageException;
import rsc.model.Node;
import rsc.model.NodeState;
import rsc.model.Secret;
import rsc.result.CommandResult;
import rsc.secrets.PasswordSource;
import rsc.secrets.Rotation;
import rsc.session.Session;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code rotate-password}: a group's password changed with nobody locked out. The new password first works beside
 * the old everywhere (the window), is kept across restarts (Swarm: every node restarted onto a new Docker secret, the
 * master last through a failover that loses no write), becomes the one rsc uses, and then the old one is refused.
 * Both passwords are kept (0600) from the first step to the last, and every step can run again, so Ctrl-C or a
 * killed rsc leaves a state the message names, and the next {@code rotate-password} finishes it.
 */
public final class PasswordRotation {

    /** The steps, in order. */
    public enum Step {
        OPEN("the new password works beside the old on every node and sentinel"),
        SWITCH("rsc uses the new password"),
        KEEP("nodes restarted from now on come back with the new password"),
        CLOSE("the old password is refused everywhere");

        private final String done;

        Step(String done) {
            this.done = done;
        }
    }

    /**
     * @param passwordFile the new password (default: env {@code RSC_PASSWORD}, else generated; a rotation under way
     *                     goes on with its own)
     * @param stopAfter    stop as if interrupted once this step is done (tests: an interrupted run)
     */
    public record Request(Optional<Path> passwordFile, Optional<Step> stopAfter) {
    }

    static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(30);

    private PasswordRotation() {
    }

    public static CommandResult plan(Session session, String groupName, Request req) throws InterruptedException {
        Group group = Group.require(session, groupName);
        rotation(session, group, req);
        Plan p = new Plan("rotate-password " + groupName);
        if (session.secrets().rotation(groupName).isPresent()) {
            p.note("a rotation of " + groupName + " was begun and not finished: this run goes on with its new password");
        }
        p.backend("rsc", List.of("keep the old and the new password in " + session.settings().stateDir()
                .resolve(".secrets/.rotating/" + groupName) + " (0600, in a 0700 directory) until the rotation ends"));
        PasswordWindow.plan(p, group);
        p.backend("rsc", List.of("keep the new password as the group's (" + session.settings().stateDir()
                .resolve(".secrets/" + groupName) + ", 0600): rsc uses it from here on"));
        PasswordWindow.planKeep(p, group);
        Optional<SecretRollout> rollout = session.placingBackend().secretRollout();
        if (rollout.isPresent()) {
            RollingRestart.plan(p, session, group, rollout.get());
        }
        PasswordWindow.planClose(p, group);
        rollout.ifPresent(r -> p.backend(session.backend().name(), r.planRetire(groupName)));
        p.note("the new password " + (req.passwordFile().isPresent() ? "from " + req.passwordFile().get() + " was read and "
                : "") + "passes create-master's rule; Ctrl-C or a failure leaves a stated state, and a second run finishes it");
        return p.result();
    }

    public static CommandResult run(Session session, String groupName, Request req, Progress progress)
            throws InterruptedException {
        Group group = Group.require(session, groupName);
        boolean resumed = session.secrets().rotation(groupName).isPresent();
        Rotation r = rotation(session, group, req);
        session.secrets().saveRotation(groupName, r);
        PasswordWindow window = new PasswordWindow(session, group, r, progress);
        Step step = Step.OPEN;
        long start = System.nanoTime();
        try {
            window.open();
            healthy(session, group, progress);
            stopIf(req, step);
            step = Step.SWITCH;
            // every node lets the new password in now: rsc uses it, so it reaches a node restarted with only the new one
            session.secrets().save(groupName, r.next());
            stopIf(req, step);
            step = Step.KEEP;
            window.keep();
            Optional<SecretRollout> rollout = session.placingBackend().secretRollout();
            if (rollout.isPresent()) {
                RollingRestart.run(session, group, rollout.get(), r, progress);
                group = Group.require(session, groupName);
            }
            stopIf(req, step);
            step = Step.CLOSE;
            new PasswordWindow(session, group, r, progress).close();
            if (rollout.isPresent()) {
                rollout.get().retire(groupName, progress);
            }
            healthy(session, group, progress);
            session.secrets().forgetRotation(groupName);
        } catch (InterruptedException | CancelledException e) {
            Thread.interrupted();
            throw new CancelledException((e instanceof Stop ? "stopped after the step '" + step.done + "'" : "cancelled")
                    + ": " + state(groupName, step, e instanceof Stop));
        } catch (RscException e) {
            throw new RscException(e.getMessage() + "; " + state(groupName, step, false), e);
        }
        return CommandResult.builder()
                .ok("rotated the password of " + groupName + (resumed ? " (finishing the rotation begun earlier)" : "")
                        + " in " + Waiter.since(start) + ": " + group.redis().size() + " data node(s) and "
                        + group.sentinels().size() + " sentinel(s) refuse the old password and let the new one in; "
                        + "replicas linked, CKQUORUM OK; rsc uses the new password")
                .build();
    }

    /** The old and the new password: the rotation under way, else the stored one and the one asked for. */
    private static Rotation rotation(Session session, Group group, Request req) {
        String g = group.name();
        if (session.attached().find(g).isPresent()) {
            throw new RscException("'" + g + "' is attached: rsc did not create its nodes and cannot keep a new password "
                    + "across their restarts; rotate it where the group was built, then 'attach' it again");
        }
        Optional<Node> down = group.nodes().stream().filter(n -> !n.state().running()).findFirst();
        if (down.isPresent()) {
            NodeState state = down.get().state();
            throw new RscException(down.get().name() + " is " + state.name().toLowerCase(java.util.Locale.ROOT)
                    + ": every node must run during a rotation (one that missed it would come back with the old password); "
                    + (state == NodeState.STARTING ? "wait until it runs ('status' shows it)"
                    : "bring it back first ('start NODE' or 'resume NODE') or remove it ('scale')"));
        }
        Optional<Rotation> pending = session.secrets().rotation(g);
        Optional<Secret> asked = req.passwordFile().map(PasswordSource::fromFile);
        if (pending.isPresent()) {
            if (asked.isPresent() && !asked.get().equals(pending.get().next())) {
                throw new UsageException("a rotation of '" + g + "' to another password was begun and not finished: "
                        + "'rotate-password " + g + "' without --password-file finishes it first");
            }
            return pending.get();
        }
        Secret old = session.passwords().of(g).orElseThrow(() -> new RscException("'" + g + "' has no password (created "
                + "with --no-auth): there is nothing to rotate"));
        Secret next = asked.orElseGet(() -> PasswordSource.choose(Optional.empty(),
                Optional.ofNullable(System.getenv("RSC_PASSWORD"))));
        if (next.equals(old)) {
            throw new UsageException("the new password is the one '" + g + "' has now: give another "
                    + (asked.isPresent() ? "--password-file" : "one (--password-file F, or leave RSC_PASSWORD unset to generate one)"));
        }
        return new Rotation(old, next);
    }

    /** Replicas linked to the master and every sentinel's CKQUORUM OK, within {@link #HEALTH_TIMEOUT}. */
    static void healthy(Session session, Group group, Progress progress) throws InterruptedException {
        MasterLocator.Located master = MasterLocator.locate(session, group.name(), group.nodes())
                .orElseThrow(() -> new RscException("cannot find the master of '" + group.name() + "'"));
        List<Node> replicas = group.runningRedis().stream()
                .filter(n -> !ReplicaLinks.sameNode(session, n.announced(), master.address())).toList();
        ReplicaLinks.await(session, replicas, master.address(), HEALTH_TIMEOUT, progress);
        for (Node s : group.runningSentinels()) {
            Waiter.until(HEALTH_TIMEOUT, Duration.ofMillis(200), progress,
                    () -> Optional.of(true).filter(x -> session.redis().sentinel(s.announced()).ckquorum(group.name()).ok()),
                    () -> "waiting for CKQUORUM OK on " + s.name(),
                    last -> s.name() + ": CKQUORUM not OK within " + HEALTH_TIMEOUT.toSeconds() + " s");
        }
    }

    private static void stopIf(Request req, Step step) {
        if (req.stopAfter().filter(step::equals).isPresent()) {
            throw new Stop();
        }
    }

    /** What an interrupted or failed run leaves, in one line. */
    private static String state(String g, Step during, boolean afterStep) {
        String state = switch (during) {
            case OPEN -> afterStep ? Step.OPEN.done + "; rsc still uses the old one"
                    : "some nodes may already accept the new password beside the old; the old one works everywhere and rsc still uses it";
            case SWITCH -> Step.OPEN.done + "; rsc uses the new one";
            case KEEP -> afterStep ? Step.OPEN.done + " and is kept across restarts; rsc uses the new one"
                    : Step.OPEN.done + "; some nodes may not keep it across a restart yet; rsc uses the new one";
            case CLOSE -> "some nodes may already refuse the old password; every node lets the new one in and rsc uses it";
        };
        return state + "; 'rotate-password " + g + "' finishes the rotation";
    }

    /** The test hook's stop: handled as an interruption. */
    private static final class Stop extends CancelledException {
    }
}

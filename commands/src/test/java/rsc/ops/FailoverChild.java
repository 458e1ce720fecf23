package rsc.ops;

import rsc.backend.Backends;
import rsc.backend.Progress;
import rsc.catalog.Catalog;
import rsc.result.CommandResult;
import rsc.result.Message;
import rsc.session.Engine;
import rsc.session.Interaction;
import rsc.session.Outcome;
import rsc.backend.Settings;
import rsc.testing.RecordingInteraction;

import java.nio.file.Path;

/**
 * A console in a JVM of its own, for a test to {@code kill -9} mid-command: runs one line on the local backend's
 * state dir and prints every progress line as it comes ({@code PROGRESS ...}), then {@code DONE ...}.
 * Arguments: state dir, group, the line.
 */
public final class FailoverChild {

    private FailoverChild() {
    }

    public static void main(String[] args) {
        Interaction ui = new Interaction() {
            @Override
            public boolean interactive() {
                return false;
            }

            @Override
            public boolean confirm(String question) {
                return false;
            }

            @Override
            public Progress progress() {
                return line -> {
                    System.out.println("PROGRESS " + line);
                    System.out.flush();
                };
            }

            @Override
            public void show(String commandLine, CommandResult result, boolean json) {
                RecordingInteraction.render(result).forEach(System.out::println);
            }

            @Override
            public void notice(Message message) {
                System.out.println(message.text());
            }

            @Override
            public void error(String line) {
                System.out.println("error: " + line);
            }
        };
        Settings settings = Settings.fromEnvironment().withBackend("local").withStateDir(Path.of(args[0])).withGroup(args[1]);
        try (Engine engine = new Engine(settings, ui, Catalog.table(), Backends.factory(), GroupHealth::probe)) {
            Outcome o = engine.execute(args[2]);
            System.out.println("DONE " + (o.error() == null ? "ok" : o.error().getMessage()));
        }
        System.exit(0);
    }
}

package rsc.result;

import java.util.ArrayList;
import java.util.List;

/**
 * What a command produced. {@code failed} marks a command that ran to the end but whose answer is a failure
 * (a script stops there, exit status 1).
 */
public record CommandResult(List<Block> blocks, boolean failed) {

    public CommandResult {
        blocks = List.copyOf(blocks);
    }

    public static CommandResult empty() {
        return new CommandResult(List.of(), false);
    }

    public static CommandResult of(Block... blocks) {
        return new CommandResult(List.of(blocks), false);
    }

    public static CommandResult ok(String text) {
        return of(Message.ok(text));
    }

    public static CommandResult info(String text) {
        return of(Message.info(text));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects blocks in order. */
    public static final class Builder {
        private final List<Block> blocks = new ArrayList<>();
        private boolean failed;

        public Builder add(Block b) {
            blocks.add(b);
            return this;
        }

        public Builder ok(String text) {
            return add(Message.ok(text));
        }

        public Builder info(String text) {
            return add(Message.info(text));
        }

        public Builder warn(String text) {
            return add(Message.warn(text));
        }

        public Builder error(String text) {
            failed = true;
            return add(Message.error(text));
        }

        public Builder failed() {
            failed = true;
            return this;
        }

        public CommandResult build() {
            return new CommandResult(blocks, failed);
        }
    }
}

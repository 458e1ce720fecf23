package rsc.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One command, declared once: name, aliases, arguments, options, summary, examples, kind, sub-commands and
 * behaviour. Parsing, validation, {@code help} and completion all read this record, so none is written twice.
 * A command with sub-commands ({@code scale slaves}) has no handler of its own. {@code C} is the context handlers
 * run against (the session, a layer above this package); parsing, help and completion read a {@code CommandSpec<?>}.
 */
public record CommandSpec<C>(String name,
                          List<String> aliases,
                          String summary,
                          String description,
                          List<Param> params,
                          List<Option> options,
                          List<String> examples,
                          CommandKind kind,
                          List<CommandSpec<C>> subcommands,
                          Handler<C> handler,
                          Handler<C> planner) {

    /** Options every command accepts. */
    public static final List<Option> GLOBAL_OPTIONS = List.of(
            Option.flag("json", "print one JSON document instead of tables"),
            Option.flag("help", "show this command's usage"));

    public CommandSpec {
        aliases = List.copyOf(aliases);
        params = List.copyOf(params);
        options = List.copyOf(options);
        examples = List.copyOf(examples);
        subcommands = List.copyOf(subcommands);
        for (int i = 0; i < params.size() - 1; i++) {
            if (params.get(i).rest()) {
                throw new IllegalArgumentException(name + ": only the last parameter may take the rest");
            }
        }
        if (handler == null && subcommands.isEmpty()) {
            throw new IllegalArgumentException(name + ": a command needs a handler or sub-commands");
        }
        if (handler != null && kind == CommandKind.CHANGES && planner == null) {
            throw new IllegalArgumentException(name + ": a command that changes the topology needs a planner for --dry-run");
        }
    }

    /** Starts a declaration; name the context where it is not inferred: {@code CommandSpec.<Session>command("use")}. */
    public static <C> Builder<C> command(String name) {
        return new Builder<>(name);
    }

    public boolean hasSubcommands() {
        return !subcommands.isEmpty();
    }

    /** Every name this command answers to. */
    public List<String> names() {
        List<String> all = new ArrayList<>();
        all.add(name);
        all.addAll(aliases);
        return all;
    }

    /** The option every topology-changing command takes. */
    public static final Option DRY_RUN = Option.flag("dry-run",
            "print the Docker API calls and Redis commands it would make, and make none");

    /** Options of this command followed by the global ones ({@code --dry-run} on commands that change the topology). */
    public List<Option> allOptions() {
        List<Option> all = new ArrayList<>(options);
        if (kind == CommandKind.CHANGES && handler != null) {
            all.add(DRY_RUN);
        }
        all.addAll(GLOBAL_OPTIONS);
        return all;
    }

    public Optional<Option> option(String optionName) {
        return allOptions().stream().filter(o -> o.name().equals(optionName)).findFirst();
    }

    /** The usage line, e.g. {@code scale sentinels N [--group G] [--quorum Q]}. */
    public String usage(String path) {
        StringBuilder b = new StringBuilder(path);
        if (hasSubcommands()) {
            b.append(' ').append(String.join("|", subcommands.stream().map(CommandSpec::name).toList())).append(" ...");
            return b.toString();
        }
        for (Param p : params) {
            b.append(' ').append(p.usage());
        }
        for (Option o : options) {
            b.append(' ').append(o.usage());
        }
        return b.toString();
    }

    /** Assembles a declaration; all lists default to empty. */
    public static final class Builder<C> {
        private final String name;
        private final List<String> aliases = new ArrayList<>();
        private String summary = "";
        private String description = "";
        private final List<Param> params = new ArrayList<>();
        private final List<Option> options = new ArrayList<>();
        private final List<String> examples = new ArrayList<>();
        private CommandKind kind = CommandKind.READS;
        private final List<CommandSpec<C>> subcommands = new ArrayList<>();
        private Handler<C> handler;
        private Handler<C> planner;

        private Builder(String name) {
            if (!name.equals(name.toLowerCase(Locale.ROOT)) || name.isBlank()) {
                throw new IllegalArgumentException("command names are lower case: " + name);
            }
            this.name = name;
        }

        public Builder<C> alias(String... names) {
            aliases.addAll(List.of(names));
            return this;
        }

        public Builder<C> summary(String text) {
            summary = text;
            return this;
        }

        public Builder<C> description(String text) {
            description = text;
            return this;
        }

        public Builder<C> param(Param p) {
            params.add(p);
            return this;
        }

        public Builder<C> option(Option o) {
            options.add(o);
            return this;
        }

        public Builder<C> example(String line) {
            examples.add(line);
            return this;
        }

        public Builder<C> kind(CommandKind k) {
            kind = k;
            return this;
        }

        public Builder<C> sub(CommandSpec<C> s) {
            subcommands.add(s);
            return this;
        }

        public Builder<C> handler(Handler<C> h) {
            handler = h;
            return this;
        }

        /** What {@code --dry-run} shows instead of running: the plan of calls, computed from the current state. */
        public Builder<C> planner(Handler<C> p) {
            planner = p;
            return this;
        }

        public CommandSpec<C> build() {
            return new CommandSpec<>(name, aliases, summary, description, params, options, examples, kind, subcommands,
                    handler, planner);
        }
    }
}

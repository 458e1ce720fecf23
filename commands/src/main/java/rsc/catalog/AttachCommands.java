package rsc.catalog;

import rsc.backend.RecipeServices;
import rsc.backend.Recipes;
import rsc.backend.attached.AttachedGroup;
import rsc.command.CommandKind;
import rsc.command.CommandSpec;
import rsc.command.Invocation;
import rsc.command.Option;
import rsc.command.Param;
import rsc.error.RscException;
import rsc.error.UsageException;
import rsc.command.ValueType;
import rsc.model.Endpoint;
import rsc.model.Node;
import rsc.redis.SentinelMaster;
import rsc.result.CommandResult;
import rsc.result.Table;
import rsc.session.ErrorTranslator;
import rsc.session.Session;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Groups rsc did not create: {@code attach} adopts one by its sentinels, {@code detach} forgets it. */
final class AttachCommands {

    private AttachCommands() {
    }

    static List<CommandSpec<Session>> specs() {
        return List.of(
                CommandSpec.<Session>command("attach").summary("adopt an existing Sentinel-watched group by its sentinels or Swarm services")
                        .description("Read commands, events, doctor and failover then work on it; rsc never starts, "
                                + "removes or destroys its nodes (destroy needs --force, and only forgets it). On Swarm, "
                                + "--services adopts a group built by hand with the plain recipe: its nodes are the "
                                + "services' tasks (kill, pause and resume work on them), and doctor names the recipe's "
                                + "hazards.")
                        .param(Param.required("group", ValueType.GROUP, "the Sentinel master name"))
                        .option(Option.value("sentinel", ValueType.WORD, "HOST:PORT[,...]", "one or more of its sentinels"))
                        .option(Option.value("services", ValueType.SERVICE_LIST, "MASTER,REPLICAS,SENTINELS",
                                "Swarm: the services of a hand-built group (redis,redis-slave,redis-sentinel)"))
                        .option(Option.value("password-file", ValueType.FILE, "F", "its password (nodes and sentinels), if it has one"))
                        .kind(CommandKind.SESSION)
                        .example("attach orders --sentinel 10.0.0.5:26379,10.0.0.6:26379")
                        .example("attach mymaster --services redis,redis-slave,redis-sentinel")
                        .handler(AttachCommands::attach).build(),
                CommandSpec.<Session>command("detach").summary("forget an attached group (its nodes are not touched)")
                        .param(Param.required("group", ValueType.GROUP, "an attached group"))
                        .kind(CommandKind.SESSION)
                        .example("detach orders")
                        .handler(AttachCommands::detach).build());
    }

    private static CommandResult attach(Invocation inv, Session s) {
        String group = inv.string("group").orElseThrow();
        Optional<RecipeServices> services = inv.string("services").map(RecipeServices::parse);
        if (services.isPresent() == inv.string("sentinel").isPresent()) {
            throw new UsageException("attach needs either --sentinel HOST:PORT[,HOST:PORT...] (the group's sentinels) "
                    + "or, on Swarm, --services MASTER,REPLICAS,SENTINELS (its services)");
        }
        if (s.placingBackend().groups().contains(group)) {
            throw new RscException("'" + group + "' is a group rsc created on this backend: 'use " + group + "'");
        }
        List<Endpoint> sentinels;
        if (services.isPresent()) {
            List<Node> tasks = s.backend().capability(Recipes.class).orElseThrow(Recipes::missing)
                    .recipeNodes(group, services.get());
            sentinels = tasks.stream().filter(n -> n.isSentinel() && n.state().running()).map(Node::announced).toList();
            if (sentinels.isEmpty()) {
                throw new RscException("cannot attach '" + group + "': no task of " + services.get().sentinels() + " runs");
            }
        } else {
            sentinels = Arrays.stream(inv.string("sentinel").orElseThrow().split(",")).map(String::trim)
                    .filter(x -> !x.isEmpty()).map(Endpoint::parse).toList();
        }
        inv.string("password-file").map(java.nio.file.Path::of).map(rsc.secrets.PasswordSource::fromFile)
                .ifPresentOrElse(pw -> s.secrets().save(group, pw), () -> s.secrets().forget(group));
        sentinels.forEach(e -> s.passwords().remember(e, group));
        List<String> why = new ArrayList<>();
        Optional<SentinelMaster> seen = Optional.empty();
        for (Endpoint e : sentinels) {
            try {
                seen = s.redis().sentinel(e).master(group);
                if (seen.isPresent()) {
                    break;
                }
                why.add(e + " does not monitor " + group);
            } catch (RuntimeException ex) {
                why.add(e + ": " + ErrorTranslator.translate(ex).getMessage());
            }
        }
        if (seen.isEmpty()) {
            s.secrets().forget(group);
            s.passwords().forget(group);
            throw new RscException("cannot attach '" + group + "': " + String.join("; ", why));
        }
        s.attached().save(new AttachedGroup(group, sentinels, services));
        s.console().use(group);
        s.follow();     // its sentinels' events are heard from now on
        List<Node> nodes = s.backend().nodes(group);
        Table.Builder t = Table.ofGroup(group, "attached nodes", "node", "kind", "address", "reached at", "state");
        for (Node n : nodes) {
            t.row(n.name(), n.kind().word(), n.announced(), n.reach(), n.state().name().toLowerCase(java.util.Locale.ROOT));
        }
        return CommandResult.builder().add(t.build())
                .ok("attached '" + group + "' (master " + seen.get().address() + ", " + seen.get().replicas() + " replica(s), "
                        + (seen.get().otherSentinels() + 1) + " sentinel(s)); current group: " + group
                        + services.map(x -> "; 'doctor' names the hazards of its services").orElse(""))
                .build();
    }

    private static CommandResult detach(Invocation inv, Session s) {
        String group = inv.string("group").orElseThrow();
        if (s.attached().find(group).isEmpty()) {
            throw new RscException("'" + group + "' is not an attached group");
        }
        s.attached().forget(group);
        s.secrets().forget(group);
        s.passwords().forget(group);
        s.console().groupGone(group);
        return CommandResult.ok("forgot the attached group '" + group + "'; its nodes were not touched");
    }
}

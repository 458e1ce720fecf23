package rsc.redis;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shape of the Redis edge (issue 13): the session hands out rsc-typed interfaces for reads, admin and
 * subscriptions; the Lettuce classes behind them are the package's own, so no caller can tie itself to Lettuce.
 */
class RedisEdgeShapeUnitTests {

    /** What code outside {@code rsc.redis} is handed for talking to Redis and Sentinel. */
    private static final List<Class<?>> SEAMS = List.of(RedisGateway.class, RedisNodeClient.class, SentinelClient.class,
            Reads.class, NodeReads.class, SentinelReads.class, Subscriptions.class, Subscription.class);

    private static final Pattern LIBRARY = Pattern.compile("\\b(io\\.lettuce|io\\.netty|reactor\\.core)\\.");

    @Test
    void theSeamsAreInterfacesNamingNoLibraryType() {
        List<String> leaks = new ArrayList<>();
        for (Class<?> seam : SEAMS) {
            assertTrue(seam.isInterface(), seam.getSimpleName() + " is an interface");
            for (Method m : seam.getMethods()) {
                List<Type> named = new ArrayList<>();
                named.add(m.getGenericReturnType());
                named.addAll(List.of(m.getGenericParameterTypes()));
                named.addAll(List.of(m.getGenericExceptionTypes()));
                for (Type t : named) {
                    if (LIBRARY.matcher(t.getTypeName()).find()) {
                        leaks.add(seam.getSimpleName() + "." + m.getName() + " names " + t.getTypeName());
                    }
                }
            }
        }
        assertEquals(List.of(), leaks);
    }

    @Test
    void theSessionHandsOutTheInterfaceAndItsClientsAreInterfacesToo() throws Exception {
        assertEquals(RedisGateway.class, rsc.session.Session.class.getMethod("redis").getReturnType());
        assertEquals(RedisNodeClient.class, RedisGateway.class.getMethod("node", rsc.model.Endpoint.class).getReturnType());
        assertEquals(SentinelClient.class, RedisGateway.class.getMethod("sentinel", rsc.model.Endpoint.class).getReturnType());
        assertTrue(NodeReads.class.isAssignableFrom(RedisNodeClient.class), "admin extends the reads");
        assertTrue(SentinelReads.class.isAssignableFrom(SentinelClient.class), "admin extends the reads");
    }

    @Test
    void theLettuceClassesAreThePackagesOwn() {
        for (Class<?> c : List.of(LettuceGateway.class, LettuceNode.class, LettuceSentinel.class, LettuceSubscription.class)) {
            assertFalse(Modifier.isPublic(c.getModifiers()), c.getSimpleName() + " is not public");
        }
    }

    /** Read from the sources: neither a Lettuce import nor one of rsc.redis's Lettuce classes outside the package. */
    @Test
    void noMainSourceOutsideTheEdgeNamesLettuce() throws IOException {
        Path commands = Path.of("src/main/java");
        assertTrue(Files.isDirectory(commands.resolve("rsc/redis")), "run from the commands module: " + commands.toAbsolutePath());
        Pattern named = Pattern.compile("\\bio\\.lettuce\\.|\\bLettuce(Gateway|Node|Sentinel|Subscription)\\b");
        List<String> found = new ArrayList<>();
        for (Path root : List.of(commands, Path.of("../console/src/main/java"))) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    if (f.startsWith(commands.resolve("rsc/redis"))) {
                        continue;
                    }
                    String text = Files.readString(f);
                    if (named.matcher(text).find()) {
                        found.add(root.relativize(f).toString());
                    }
                }
            }
        }
        assertEquals(List.of(), found);
    }
}

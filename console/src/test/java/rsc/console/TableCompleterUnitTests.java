package rsc.console;

import org.jline.reader.Candidate;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.terminal.Terminal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rsc.catalog.Catalog;
import rsc.model.Endpoint;
import rsc.model.Node;
import rsc.model.NodeKind;
import rsc.model.NodeState;
import rsc.model.Topology;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TableCompleterUnitTests {

    private static final Topology TOPOLOGY = new Topology("local", List.of("mymaster", "orders"),
            List.of(node("orders", NodeKind.REDIS, 1, 7001), node("orders", NodeKind.REDIS, 2, 7002),
                    node("orders", NodeKind.SENTINEL, 1, 27001)),
            Map.of("orders", new Endpoint("127.0.0.1", 7001)), Map.of("orders", Topology.Health.OK), Instant.now());

    private Terminal terminal;
    private LineReader reader;
    private final Parser parser = CommandLineParser.create();

    @BeforeEach
    void reader() throws Exception {
        terminal = DumbTerminals.empty();
        reader = ConsoleReader.build(terminal, Catalog.table(), () -> TOPOLOGY, null);
    }

    @AfterEach
    void close() throws Exception {
        terminal.close();
    }

    /** What JLine would offer: every candidate that starts with the word under the cursor. */
    private List<String> complete(String line) {
        ParsedLine parsed = parser.parse(line, line.length(), Parser.ParseContext.COMPLETE);
        List<Candidate> candidates = new ArrayList<>();
        ((LineReaderImpl) reader).getCompleter().complete(reader, parsed, candidates);
        return candidates.stream().map(Candidate::value).filter(v -> v.startsWith(parsed.word())).sorted().distinct().toList();
    }

    private static Node node(String group, NodeKind kind, int index, int port) {
        Endpoint e = new Endpoint("127.0.0.1", port);
        return new Node(Node.nameOf(group, kind, index), group, kind, index, e, e, NodeState.RUNNING, "pid 1");
    }

    @Test
    void commandNamesAndAliasesAtTheFirstWord() {
        List<String> all = complete("");
        assertTrue(all.containsAll(List.of("create-master", "scale", "sentinel", "status", "help", "use", "exit", "quit")), all.toString());
        assertEquals(List.of("scale"), complete("sc"));
        assertTrue(complete("s").containsAll(List.of("scale", "sentinel", "set", "source", "status")));
        assertFalse(complete("s").contains("use"));
    }

    @Test
    void subCommandsAfterACommandThatHasThem() {
        assertEquals(List.of("replicas", "sentinels", "slaves"), complete("scale "));
        assertEquals(List.of("sentinels", "slaves"), complete("scale s"));
        assertEquals(List.of("ckquorum", "masters", "replicas", "reset", "sentinels", "set", "status"), complete("sentinel "));
        assertEquals(List.of("get", "set"), complete("config "));
    }

    @Test
    void sentinelSetCompletesItsSettings() {
        assertEquals(List.of("down-after", "down-after-milliseconds", "failover-timeout", "parallel-syncs", "quorum"),
                complete("sentinel set "));
        assertEquals(List.of("down-after", "down-after-milliseconds"), complete("sentinel set d"));
        assertTrue(complete("sentinel set quorum 2 --").containsAll(List.of("--group", "--force", "--dry-run")));
        assertTrue(complete("config set maxmemory 1mb --").containsAll(List.of("--group", "--dry-run")));
        assertFalse(complete("config get maxmemory --").contains("--dry-run"), "a read takes no --dry-run");
    }

    @Test
    void optionsOfTheCommandAndTheGlobalOnes() {
        List<String> options = complete("scale sentinels 3 --");
        assertTrue(options.containsAll(List.of("--quorum", "--port", "--down-after", "--failover-timeout", "--force",
                "--group", "--json", "--help")), options.toString());
        assertEquals(List.of("--quorum"), complete("scale sentinels 3 --q"));
        assertFalse(complete("scale sentinels 3 --quorum 2 --").contains("--quorum"), "an option given is not offered again");
    }

    @Test
    void persistenceChoicesOfCreateMaster() {
        assertEquals(List.of("aof", "none", "rdb"), complete("create-master orders --persistence "));
        assertEquals(List.of("rdb"), complete("create-master --persistence r"));
    }

    @Test
    void groupValuesFromTheCachedTopology() {
        assertEquals(List.of("mymaster", "orders"), complete("use "));
        assertEquals(List.of("orders"), complete("status --group o"));
        assertEquals(List.of("orders"), complete("use \"or"));
    }

    @Test
    void nodeValuesFilteredByKind() {
        assertEquals(List.of("orders-redis-1", "orders-redis-2", "orders-sentinel-1"), complete("redis --node "));
        assertEquals(List.of("orders-sentinel-1"), complete("sentinel masters --sentinel "));
        assertEquals(List.of("orders-redis-1", "orders-redis-2"), complete("failover --to "), "failover --to: data nodes only");
        assertTrue(complete("failover --").containsAll(List.of("--to", "--no-pause", "--timeout", "--force")));
    }

    @Test
    void redisCommandNamesAfterRedis() {
        List<String> names = complete("redis ");
        assertTrue(names.size() > 150, "a long list: " + names.size());
        assertTrue(names.containsAll(List.of("GET", "SET", "INFO", "ROLE", "REPLICAOF", "CONFIG")));
        assertTrue(complete("redis GE").containsAll(List.of("GET", "GETSET", "GETRANGE")));
        assertEquals(List.of(), complete("redis GET "), "only the command word completes");
    }

    @Test
    void helpCompletesCommandsThenSubCommands() {
        assertTrue(complete("help ").containsAll(List.of("scale", "sentinel", "status")));
        assertEquals(List.of("replicas", "sentinels", "slaves"), complete("help scale "));
    }

    @Test
    void nothingAfterAnUnknownCommandAndNoErrorWithoutTopology() throws Exception {
        assertEquals(List.of(), complete("bogus "));
        LineReader bare = ConsoleReader.build(terminal, Catalog.table(), () -> Topology.empty("local"), null);
        List<Candidate> candidates = new ArrayList<>();
        ((LineReaderImpl) bare).getCompleter().complete(bare, parser.parse("use ", 4, Parser.ParseContext.COMPLETE), candidates);
        assertEquals(List.of(), candidates);
    }

    @Test
    void tabCompletesThroughTheLineReaderOnADumbTerminal() throws Exception {
        try (Terminal t = DumbTerminals.over("sc\tsl\t3\n", new ByteArrayOutputStream())) {
            LineReader r = ConsoleReader.build(t, Catalog.table(), () -> TOPOLOGY, null);
            assertEquals("scale slaves 3", r.readLine("> ").strip());
        }
    }

    @Test
    void theParserKeepsHashesAndQuotesAsTheTokenizerDoes() {
        ParsedLine p = parser.parse("redis SET k '#not a comment' \"a b\"", 35, Parser.ParseContext.ACCEPT_LINE);
        assertEquals(List.of("redis", "SET", "k", "#not a comment", "a b"), p.words());
        ParsedLine open = parser.parse("redis SET k \"unclosed", 21, Parser.ParseContext.ACCEPT_LINE);
        assertEquals("unclosed", open.word());
    }

    /** Issue 12 item 11: fixed choices and Redis sub-commands complete from the table. */
    @Test
    void fixedChoicesAndRedisSubCommandsComplete() {
        assertTrue(complete("kill m").contains("master"), complete("kill m").toString());
        assertTrue(complete("kill ").containsAll(List.of("master", "replica", "orders-redis-1")), complete("kill ").toString());
        assertEquals(List.of("KILL", "STOP", "TERM"), complete("kill master --signal "));
        assertEquals(List.of("json", "table"), complete("set output "));
        assertEquals(List.of("ok"), complete("expect quorum "));
        assertEquals(List.of("master", "replica"), complete("expect role orders-redis-1 "));
        assertTrue(complete("redis CONFIG ").containsAll(List.of("GET", "SET", "REWRITE", "RESETSTAT")), complete("redis CONFIG ").toString());
        assertTrue(complete("redis --node orders-redis-1 CLIENT ").contains("LIST"), complete("redis --node orders-redis-1 CLIENT ").toString());
    }

    /**
     * Issue 13 item 3: the parser (and the usage tip, which shows {@code --group=G}) take {@code --name=VALUE}, but
     * completion had its own walk that offered option names there and never the value.
     */
    @Test
    void anInlineOptionValueCompletesAfterTheEqualsSign(@TempDir Path dir) throws Exception {
        assertEquals(List.of("--group=orders"), complete("status --group=o"));
        assertEquals(List.of("--persistence=aof", "--persistence=none", "--persistence=rdb"),
                complete("create-master orders --persistence="));
        assertEquals(List.of("--to=orders-redis-1", "--to=orders-redis-2"), complete("failover --to="));
        Files.writeString(dir.resolve("orders.rdb"), "");
        assertEquals(List.of("--to=" + dir + "/orders.rdb"), complete("backup --to=" + dir + "/ord"));
        assertEquals(List.of(), complete("status --json="), "a flag takes no value");
    }
}

package rsc.session;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The history filter decides on the words the line runs as, so quoting or escaping a word does not slip past it. */
class HistoryFilterUnitTests {

    @Test
    void everySensitiveRedisSentinelAndRscWordIsCaughtHoweverItIsQuoted() {
        List<String> secret = List.of(
                "redis AUTH x",
                "redis CONFIG SET \"requirepass\" x",
                "redis CONFIG SET tls-key-file-pass x",
                "config set tls-client-key-file-pass x",
                "redis \"AUTH\" \"pass word\"",
                "redis 'auth' x",
                "redis CONFIG SET 'masterauth' x",
                "redis CONFIG SET re\\quirepass x",
                "redis CONFIG SET \"master\"auth x",
                "redis CONFIG SET masteruser u",
                "redis SENTINEL CONFIG SET sentinel-pass x",
                "redis SENTINEL CONFIG SET \"sentinel-pass\" x",
                "redis HELLO 3 AUTH u p",
                "redis hello 3 \"auth\" u p",
                "redis ACL SETUSER bob on >pw",
                "redis acl \"setuser\" bob on >pw",
                "redis SENTINEL SET g auth-pass x",
                "redis SENTINEL SET g 'auth-pass' x",
                "redis MIGRATE h 6379 k 0 5000 AUTH pw",
                "redis MIGRATE h 6379 k 0 5000 \"AUTH2\" u pw",
                "create-master g --password x",
                "create-master g \"--password-file\" /tmp/pw",
                "create-master g --password-file=/tmp/pw",
                "status; redis AUTH x",
                "redis \"AUTH x");   // an open quote: what would run if it were closed
        for (String line : secret) {
            assertTrue(HistoryFilter.sensitive(line), line);
            assertFalse(HistoryFilter.redact(line).contains(" x"), HistoryFilter.redact(line));
        }
    }

    @Test
    void ordinaryLinesAreKept() {
        for (String line : List.of("status", "sentinel status orders", "redis GET user:1", "redis CONFIG GET maxmemory",
                "scale slaves 3", "redis SET greeting hello", "failover orders --timeout 30s")) {
            assertFalse(HistoryFilter.sensitive(line), line);
            assertTrue(HistoryFilter.redact(line).equals(line));
        }
    }
}

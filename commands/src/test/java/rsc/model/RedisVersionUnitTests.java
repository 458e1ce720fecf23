package rsc.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RedisVersionUnitTests {

    @Test
    void parsesInfoAndVersionOutput() {
        assertEquals(new RedisVersion(7, 0, 15), RedisVersion.parse("7.0.15").orElseThrow());
        assertEquals(new RedisVersion(6, 2, 11), RedisVersion.parse("6.2.11 sha=0 malloc=jemalloc").orElseThrow());
        assertEquals(new RedisVersion(8, 0, 0), RedisVersion.parse("8.0").orElseThrow());
        assertTrue(RedisVersion.parse("redis").isEmpty());
        assertTrue(RedisVersion.parse(null).isEmpty());
    }

    @Test
    void rdbFormatsAsRedisWritesThem() {
        assertEquals(9, RedisVersion.parse("6.2.6").orElseThrow().rdbFormat());
        assertEquals(9, RedisVersion.parse("5.0.14").orElseThrow().rdbFormat());
        assertEquals(10, RedisVersion.parse("7.0.15").orElseThrow().rdbFormat());
        assertEquals(11, RedisVersion.parse("7.2.4").orElseThrow().rdbFormat());
        assertEquals(12, RedisVersion.parse("7.4.1").orElseThrow().rdbFormat());
        assertTrue(RedisVersion.parse("6.2.11").orElseThrow().compareTo(RedisVersion.parse("7.0.0").orElseThrow()) < 0);
    }
}

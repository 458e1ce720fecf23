package rsc.model;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The persistence choices: the words, the directives a node gets, and what a node's own settings are called. */
class PersistenceUnitTests {

    @Test
    void wordsAndTheirValues() {
        assertEquals(List.of("none", "aof", "rdb"), List.of(Persistence.words()));
        assertEquals(Optional.of(Persistence.AOF), Persistence.of("AOF"));
        assertEquals(Optional.empty(), Persistence.of("disk"));
        assertEquals(Optional.empty(), Persistence.of(null));
    }

    @Test
    void everyChoiceSpellsOutBothSettings() {
        assertEquals(List.of(List.of("save", ""), List.of("appendonly", "no")), Persistence.NONE.directives());
        assertEquals(List.of(List.of("save", ""), List.of("appendonly", "yes"), List.of("appendfsync", "everysec")),
                Persistence.AOF.directives());
        assertEquals(List.of(List.of("save", ""), List.of("save", "3600", "1"), List.of("save", "300", "100"),
                List.of("save", "60", "10000"), List.of("appendonly", "no")), Persistence.RDB.directives());
    }

    @Test
    void aNodesOwnSettingsAreNamed() {
        assertEquals("none", Persistence.describe("no", "", "everysec"));
        assertEquals("aof (appendfsync everysec)", Persistence.describe("yes", "", "everysec"));
        assertEquals("rdb (save 3600 1)", Persistence.describe("no", "3600 1", "everysec"));
        assertEquals("aof (appendfsync always) + rdb (save 60 1)", Persistence.describe("yes", "60 1", "always"));
    }
}

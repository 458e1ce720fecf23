package rsc.command;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenizerUnitTests {

    @Test
    void quotesKeepBlanksAndBackslashesEscape() {
        assertEquals(List.of("redis", "SET", "k", "a b", "it's"), Tokenizer.split("redis SET k 'a b' \"it's\""));
        assertEquals(List.of("a\"b", "c d"), Tokenizer.split("\"a\\\"b\" c\\ d"));
        assertEquals(List.of(), Tokenizer.split("   "));
    }

    @Test
    void lenientScanKeepsAnOpenWordForCompletion() {
        Tokenizer.Words w = Tokenizer.scan("use 'ord");
        assertTrue(w.open());
        assertEquals(List.of("use", "ord"), w.texts());
        assertTrue(Tokenizer.scan("scale ").endsWithBlank());
    }

    @Test
    void statementsSplitAtSemicolonsOutsideQuotes() {
        assertEquals(List.of("use a", "redis SET k 'x;y'", "status"),
                Tokenizer.statements("use a; redis SET k 'x;y' ;status;"));
    }
}

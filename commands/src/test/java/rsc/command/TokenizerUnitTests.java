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

    @Test
    void theCursorStandsInAWordOrWhereANewOneStarts() {
        Tokenizer.Cursor escaped = Tokenizer.cursor("a\\ b", 2);
        assertEquals(List.of(0, 1), List.of(escaped.index(), escaped.textBefore()), "between a backslash and what it escapes");
        assertTrue(escaped.inWord());
        assertEquals(3, Tokenizer.cursor("'a b' c", 5).textBefore(), "after the closing quote");
        Tokenizer.Cursor blank = Tokenizer.cursor("a   b", 2);
        assertEquals(1, blank.index());
        assertTrue(!blank.inWord());
        Tokenizer.Cursor end = Tokenizer.cursor("scale ", 6);
        assertEquals(List.of(1, 0), List.of(end.index(), end.textBefore()));
        assertEquals('"', Tokenizer.cursor("use \"or", 7).words().quote());
    }
}

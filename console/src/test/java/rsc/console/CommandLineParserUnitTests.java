package rsc.console;

import org.jline.reader.CompletingParsedLine;
import org.jline.reader.LineReader;
import org.jline.reader.Parser;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.junit.jupiter.api.Test;
import rsc.command.LineParser;
import rsc.catalog.Catalog;
import rsc.model.Topology;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JLine parser splits as {@link rsc.command.Tokenizer} does, and where JLine's own split agreed it answers alike. */
class CommandLineParserUnitTests {

    private final Parser parser = CommandLineParser.create();

    /** JLine's own splitting, configured as rsc configured it before it delegated to the Tokenizer. */
    private static DefaultParser jlines() {
        DefaultParser p = new DefaultParser();
        p.setQuoteChars(new char[] {'\'', '"'});
        p.setEscapeChars(new char[] {'\\'});
        p.setLineCommentDelims(null);
        p.setBlockCommentDelims(null);
        p.setEofOnUnclosedQuote(false);
        p.setEofOnEscapedNewLine(false);
        p.setEofOnUnclosedBracket();
        return p;
    }

    private static String describe(CompletingParsedLine p) {
        return p.words() + " index=" + p.wordIndex() + " word=[" + p.word() + "] cursor=" + p.wordCursor() + " raw="
                + p.rawWordCursor() + "/" + p.rawWordLength() + " escaped=" + p.escape("a b", true) + " "
                + p.escape("x", false);
    }

    /**
     * Every cursor position of lines on whose words both rules agree answers as JLine did, except in the middle of a
     * run of blanks, where JLine names the next word (or a word of length -1) and the Tokenizer a new empty one.
     */
    @Test
    void answersAsJLineDidWhereBothSplitAlike() {
        DefaultParser reference = jlines();
        List<String> lines = List.of("", "scale ", "scale slaves 3 --group orders", "use \"or", "use 'a b", "a  b",
                "redis SET k \"a\\\"b\" c\\ d", "'a b' c", "\"a\\\"b", "a\\ b", "x --to=/tmp/a\\ b",
                "x \"a\\$b\"", "x (a b)", "status --group=o", "redis SET k '#not a comment'",
                "failover --to orders-redis-1 --timeout 30s", "source '/tmp/my dir/x' ", "use \"a b\" c");
        List<String> differ = new ArrayList<>();
        int compared = 0;
        for (String line : lines) {
            for (int c = 0; c <= line.length(); c++) {
                boolean inBlanks = c < line.length() && Character.isWhitespace(line.charAt(c))
                        && (c == 0 || Character.isWhitespace(line.charAt(c - 1)));
                if (inBlanks) {
                    continue;
                }
                compared++;
                for (Parser.ParseContext context : List.of(Parser.ParseContext.COMPLETE, Parser.ParseContext.ACCEPT_LINE)) {
                    String expected = describe((CompletingParsedLine) reference.parse(line, c, context));
                    String actual = describe((CompletingParsedLine) parser.parse(line, c, context));
                    if (!expected.equals(actual)) {
                        differ.add("[" + line + "] at " + c + " " + context + ":\n  jline " + expected + "\n  rsc   " + actual);
                    }
                }
            }
        }
        assertEquals(List.of(), differ, String.join("\n", differ));
        assertTrue(compared >= 200, "compared " + compared);
    }

    /** Where JLine split otherwise, completion now sees what the engine runs. */
    @Test
    void wordsAreTheEnginesWhereJLineSplitOtherwise() {
        assertEquals(List.of("x", "ab cd"), parser.parse("x a\"b c\"d", 9, Parser.ParseContext.COMPLETE).words());
        assertEquals(List.of("x", "its"), parser.parse("x 'it''s'", 9, Parser.ParseContext.COMPLETE).words());
        assertEquals(List.of("x", "a\\b", "c\\d"), parser.parse("x \"a\\b\" 'c\\d'", 13, Parser.ParseContext.COMPLETE).words());
        assertEquals(List.of("x", "", "\\"), parser.parse("x \"\" \\", 6, Parser.ParseContext.COMPLETE).words(),
                "an empty quoted word and a trailing backslash are words");
        assertEquals(6, ((CompletingParsedLine) parser.parse("x \"a b\"c", 8, Parser.ParseContext.COMPLETE)).rawWordLength(),
                "JLine counted 5 for the six characters of \"a b\"c");
        assertEquals(List.of("a", "", "b"), parser.parse("a   b", 2, Parser.ParseContext.COMPLETE).words(),
                "a cursor amid blanks starts a word there");
    }

    /** A quote after {@code --name=} did not open a quote for JLine, so {@code --group="o} offered nothing. */
    @Test
    void aQuotedInlineValueCompletesAndRuns() throws Exception {
        try (Terminal t = DumbTerminals.over("status --group=\"o\t\n", new ByteArrayOutputStream())) {
            Topology topology = new Topology("local", List.of("orders"), List.of(), java.util.Map.of(),
                    java.util.Map.of(), java.time.Instant.now());
            LineReader r = ConsoleReader.build(t, Catalog.table(), () -> topology, null);
            String line = r.readLine("> ").strip();
            assertEquals("orders", new LineParser(Catalog.table()).parse(line).string("group").orElseThrow(), line);
        }
    }
}

package rsc.console;

import org.jline.reader.ParsedLine;
import org.jline.reader.impl.DefaultParser;
import rsc.command.Tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * The JLine parser for rsc lines: its words are {@link Tokenizer}'s, so completion and the usage tip see the words
 * the engine will run (JLine's own splitting differs at the edges: a quote inside a word, a backslash inside quotes).
 * It never asks for a continuation line: an unclosed quote is handed to the engine, which reports it. JLine's
 * {@link DefaultParser} is kept for quoting candidates on insertion (a file name with a blank).
 */
public final class CommandLineParser extends DefaultParser {

    private CommandLineParser() {
        setQuoteChars(new char[] {'\'', '"'});
        setEscapeChars(new char[] {'\\'});
        setLineCommentDelims(null);
        setBlockCommentDelims(null);
        setEofOnUnclosedQuote(false);
        setEofOnEscapedNewLine(false);
        setEofOnUnclosedBracket();
    }

    public static DefaultParser create() {
        return new CommandLineParser();
    }

    @Override
    public ParsedLine parse(String line, int cursor, ParseContext context) {
        int clamped = Math.max(0, Math.min(cursor, line.length()));
        Tokenizer.Cursor at = Tokenizer.cursor(line, clamped);
        List<String> words = new ArrayList<>(at.words().texts());
        int rawCursor = 0;
        int rawLength = 0;
        if (at.inWord()) {
            Tokenizer.Word w = at.words().words().get(at.index());
            rawCursor = clamped - w.start();
            rawLength = w.end() - w.start();
        } else if (!line.isBlank()) {
            words.add(at.index(), "");
        }
        // as JLine does: candidates are quoted with the quote the line ends inside
        String quote = at.words().open() ? String.valueOf(at.words().quote()) : null;
        return new ArgumentList(line, words, at.index(), at.textBefore(), cursor, quote, rawCursor, rawLength);
    }
}

package rsc.console;

import org.jline.reader.impl.DefaultParser;

/**
 * The JLine parser for rsc lines, splitting words as {@link rsc.command.Tokenizer} does: blanks separate,
 * single and double quotes group, backslash escapes. No comment characters, no brackets, and an unclosed quote
 * is handed to the engine (which reports it) instead of asking for a continuation line.
 */
public final class CommandLineParser {

    private CommandLineParser() {
    }

    public static DefaultParser create() {
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
}

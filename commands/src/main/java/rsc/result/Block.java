package rsc.result;

/** One piece of a command's output. */
public sealed interface Block permits Message, Table {
}

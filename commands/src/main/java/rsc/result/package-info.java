/** What a command hands back: messages and tables, rendered by the console as text or as one JSON document. */
package rsc.result;

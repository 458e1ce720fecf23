/**
 * The failures every layer raises and the console prints as one line: {@link rsc.error.RscException} (and its usage,
 * cancelled and already-reported kinds), and {@link rsc.error.CannotWrite}'s one line for a file that cannot be
 * written. The lowest package, so that the model, the Redis edge and the backends need not import the command table
 * to fail.
 */
package rsc.error;

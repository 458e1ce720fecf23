/**
 * Lettuce at the edge: connections, raw replies parsed into records. Nothing beyond this package sees a
 * {@code Map<String,String>} reply.
 */
package rsc.redis;

/**
 * Redis at the edge: Lettuce connections for a session, a small plain-socket RESP2 client for one-shot reads
 * ({@link rsc.redis.Reads} is the seam between them), raw replies parsed into records. Nothing beyond this package
 * sees a {@code Map<String,String>} reply. RDB files are read here too: taken from a replica ({@link rsc.redis.RdbDownload}),
 * checked end to end ({@link rsc.redis.RdbCheck}) and served to a new master ({@link rsc.redis.RdbServer}).
 */
package rsc.redis;

package rsc.redis;

import rsc.model.Endpoint;

import java.util.List;
import java.util.Map;

/**
 * Everything rsc asks of or tells one sentinel in a session: the reads, plus the admin commands operations send
 * ({@code SENTINEL RESET/FAILOVER/SET/MONITOR/REMOVE}, passwords), answered as records. rsc-typed, so an operation never
 * depends on the client behind it (Lettuce in a session).
 */
public interface SentinelClient extends SentinelReads {

    /** {@code SENTINEL MASTERS}, parsed. */
    List<SentinelMaster> masters();

    /** {@code SENTINEL MASTERS} as the sentinel words it, for the raw {@code sentinel masters} table. */
    List<Map<String, String>> mastersRaw();

    /** {@code SENTINEL RESET group}: how many masters matched. */
    long reset(String group);

    /** {@code SENTINEL FAILOVER}, its refusals answered as a reply rather than thrown. */
    FailoverReply failover(String group);

    /** {@code SENTINEL SET group option value}. */
    void set(String group, String option, String value);

    /** {@code SENTINEL MONITOR group host port quorum}. */
    void monitor(String group, Endpoint master, int quorum);

    /** {@code SENTINEL REMOVE group}. */
    void remove(String group);

    /** {@code PING}: the status reply. */
    String ping();

    /** The commands that change this sentinel's passwords (its own, the data nodes', its peers'), never shown. */
    PasswordCommands passwords();
}

package rsc.redis;

import rsc.model.Endpoint;

import java.util.List;
import java.util.Map;

/**
 * Everything rsc asks of or tells one data node in a session: the reads, plus the admin commands operations send
 * ({@code REPLICAOF}, {@code CONFIG SET/REWRITE}, write pauses, passwords). rsc-typed, so an operation never depends on
 * the client behind it (Lettuce in a session).
 */
public interface RedisNodeClient extends NodeReads {

    /** {@code PING}: the status reply. */
    String ping();

    /** {@code INFO section}, as field to value. */
    Map<String, String> info(String section);

    /** {@code CONFIG SET name value}. */
    void configSet(String name, String value);

    /** {@code CONFIG REWRITE}: false when the node runs without a config file (its values then live in memory only). */
    boolean configRewrite();

    /** {@code REPLICAOF host port}. */
    void replicaOf(Endpoint master);

    /** {@code REPLICAOF NO ONE}: the node becomes a master, keeping its data. */
    void replicaOfNoOne();

    /** Keys in every database, from {@code INFO keyspace} ({@code db0:keys=N,expires=...}). */
    long keyCount();

    /** {@code SET key value}: the status reply. */
    String set(String key, String value);

    /** {@code GET key}: null when there is no such key. */
    String get(String key);

    /** {@code WAIT replicas timeoutMs}: how many replicas confirmed. */
    long waitReplicas(int replicas, long timeoutMs);

    /**
     * {@code CLIENT PAUSE <ms> WRITE}: write commands (and {@code PUBLISH}, {@code WAIT}, scripts) are held, reads
     * go on; Redis lifts it by itself after {@code ms}, so a console that dies cannot leave it paused.
     */
    void pauseWrites(long ms);

    /** {@code CLIENT UNPAUSE}: the held writes run now. */
    void unpause();

    /** Runs any command as typed; the reply comes back as nested lists of strings, numbers and errors. */
    List<Object> raw(List<String> words);

    /** The commands that change this node's passwords, their errors never showing one. */
    PasswordCommands passwords();
}

package rsc.redis;

/** {@code SENTINEL CKQUORUM}: whether quorum and majority can be reached now, and the sentinel's own sentence. */
public record CkQuorum(boolean ok, String text) {
}

package rsc.redis;

/**
 * What a sentinel answered to {@code SENTINEL FAILOVER}: it started one, it has no replica it would promote
 * ({@code NOGOODSLAVE}), one is already under way ({@code INPROG}), or another refusal.
 */
public record FailoverReply(Kind kind, String text) {

    /** The answers rsc acts on differently. */
    public enum Kind { ACCEPTED, NO_GOOD_REPLICA, IN_PROGRESS, REFUSED }

    static FailoverReply of(String error) {
        if (error.startsWith("NOGOODSLAVE") || error.contains("No suitable replica")) {
            return new FailoverReply(Kind.NO_GOOD_REPLICA, error);
        }
        if (error.startsWith("INPROG")) {
            return new FailoverReply(Kind.IN_PROGRESS, error);
        }
        return new FailoverReply(Kind.REFUSED, error);
    }
}

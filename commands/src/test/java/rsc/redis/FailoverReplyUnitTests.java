package rsc.redis;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Sentinel's refusals of SENTINEL FAILOVER, read as the switch acts on them. */
class FailoverReplyUnitTests {

    @Test
    void refusalsAreTold() {
        assertEquals(FailoverReply.Kind.NO_GOOD_REPLICA, FailoverReply.of("NOGOODSLAVE No suitable replica to promote").kind());
        assertEquals(FailoverReply.Kind.IN_PROGRESS, FailoverReply.of("INPROG Failover already in progress").kind());
        assertEquals(FailoverReply.Kind.REFUSED, FailoverReply.of("ERR No such master with that name").kind());
    }
}

package rsc.ops;

import rsc.error.RscException;
import rsc.error.UsageException;

/** Sentinel arithmetic: a failover needs a majority of all sentinels, so quorum below that is a trap. */
public final class Quorum {

    private Quorum() {
    }

    public static int majority(int sentinels) {
        return sentinels / 2 + 1;
    }

    /** The quorum to use for {@code sentinels}: the one asked for (checked), else the majority. */
    public static int choose(int sentinels, Integer asked, boolean force) {
        if (asked == null) {
            return majority(sentinels);
        }
        if (asked < 1 || asked > sentinels) {
            throw new UsageException("--quorum must be from 1 to the number of sentinels (" + sentinels + "), not " + asked);
        }
        if (asked < majority(sentinels) && !force) {
            throw new RscException("quorum " + asked + " of " + sentinels + " sentinels is not a majority ("
                    + majority(sentinels) + "): a minority could declare the master down while no failover can be "
                    + "authorised; pass --force to accept it anyway");
        }
        return asked;
    }
}

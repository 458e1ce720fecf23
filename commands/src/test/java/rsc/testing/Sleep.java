package rsc.testing;

/** Pauses in tests' polling loops; written to sit in a loop condition ({@code while (!done() && sleep(200))}). */
public final class Sleep {

    private Sleep() {
    }

    /** Sleeps, keeps an interrupt for the caller to see, and answers true. */
    public static boolean sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;
    }
}

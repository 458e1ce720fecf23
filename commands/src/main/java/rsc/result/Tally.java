package rsc.result;

/** How many of how many ({@code 2/3} sentinels saw an event): text {@code 2/3}, JSON {@code {"count":2,"of":3}}. */
public record Tally(int count, int of) {

    @Override
    public String toString() {
        return count + "/" + of;
    }
}

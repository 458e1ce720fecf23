package rsc.redis;

import rsc.model.Endpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Listens on every sentinel it can reach for {@code +switch-master} of one group: the moment clients are told of the
 * new master. Closing it closes its subscriptions.
 */
public final class SwitchWatch implements AutoCloseable {

    /** The switch a sentinel announced, {@code elapsedNanos} after the watch began. */
    public record Switch(Endpoint from, Endpoint to, long elapsedNanos) {
    }

    private final CompletableFuture<Switch> switched = new CompletableFuture<>();
    private final List<Subscription> subs = new ArrayList<>();
    private final long start = System.nanoTime();

    SwitchWatch(String group, List<Endpoint> sentinels, Subscriptions subscriptions) {
        for (Endpoint s : sentinels) {
            try {
                subs.add(subscriptions.subscribe(s, false, "+switch-master", (channel, message) -> {
                    // "<name> <old-ip> <old-port> <new-ip> <new-port>"
                    String[] w = message.split(" ");
                    if (w.length == 5 && w[0].equals(group)) {
                        switched.complete(new Switch(new Endpoint(w[1], Integer.parseInt(w[2])),
                                new Endpoint(w[3], Integer.parseInt(w[4])), System.nanoTime() - start));
                    }
                }));
            } catch (RuntimeException e) {
                // a sentinel we cannot hear from; the others will tell us
            }
        }
    }

    /** Whether at least one sentinel is listened to. */
    public boolean listening() {
        return subs.stream().anyMatch(Subscription::isOpen);
    }

    /** The switch, if announced within {@code ms}. */
    public java.util.Optional<Switch> await(long ms) throws InterruptedException {
        try {
            return java.util.Optional.of(switched.get(Math.max(0, ms), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            return java.util.Optional.empty();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        subs.forEach(Subscription::close);
    }
}

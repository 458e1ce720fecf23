package rsc.session;

import rsc.backend.Settings;
import rsc.error.RscException;
import rsc.events.EventLevel;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What the operator has set in this console (current group, output mode, event levels, exit) and when commands
 * started. Kept apart from {@link Session}'s services so that a command which only reads or sets these never reaches
 * for the backend or the Redis clients, and the session stays a place to find services rather than a hub.
 */
public final class ConsoleState {

    private final Supplier<List<String>> groups;
    private final Supplier<List<String>> cachedGroups;
    /** The group chosen (--group, use, create-master, attach); null when none was and the current one is implied. */
    private volatile String chosen;
    private volatile boolean jsonOutput;
    private final Map<String, EventLevel> eventLevels = new ConcurrentHashMap<>();
    private volatile EventLevel eventLevel = EventLevel.WARNINGS;
    private volatile boolean exitRequested;
    private volatile boolean liveEvents;
    private volatile boolean oneShot;
    private volatile Instant previousStart = Instant.now();
    private volatile Instant currentStart = Instant.now();

    /**
     * @param chosen       the group chosen at start ({@code --group}), or null
     * @param groups       the backend's groups, asked when none was chosen (may reach the backend)
     * @param cachedGroups the groups of the last topology snapshot, for the prompt (never waits)
     */
    ConsoleState(String chosen, Supplier<List<String>> groups, Supplier<List<String>> cachedGroups) {
        this.chosen = chosen;
        this.groups = groups;
        this.cachedGroups = cachedGroups;
    }

    /**
     * The current group, the default of every command that takes one: the group chosen ({@code --group}, {@code use},
     * {@code create-master}), else the only group there is, else {@code mymaster} when it exists; empty when none is.
     * Lists the backend's groups when none was chosen.
     */
    public Optional<String> currentGroup() {
        String g = chosen;
        return g != null ? Optional.of(g) : implied(groups.get());
    }

    /** As {@link #currentGroup()}, among groups the caller has just listed (a listing costs a Swarm one-shot ~20 ms). */
    public Optional<String> currentGroup(List<String> listed) {
        String g = chosen;
        return g != null ? Optional.of(g) : implied(listed);
    }

    /** The current group as {@link #currentGroup}, or a one-line error saying how to choose one. */
    public String group() {
        return currentGroup().orElseThrow(() -> {
            List<String> all = groups.get();
            return new RscException(all.isEmpty()
                    ? "no group yet: 'create-master [GROUP]' creates one"
                    : "no current group among " + String.join(", ", all) + ": 'use GROUP' (or --group G) picks one");
        });
    }

    /** The group chosen explicitly, if any: {@code create-master} without a name creates it, else mymaster. */
    public Optional<String> chosenGroup() {
        return Optional.ofNullable(chosen);
    }

    /** The current group for the prompt, from the cached topology: never waits; empty until groups are known. */
    public Optional<String> promptGroup() {
        String g = chosen;
        return g != null ? Optional.of(g) : implied(cachedGroups.get());
    }

    private static Optional<String> implied(List<String> groups) {
        if (groups.size() == 1) {
            return Optional.of(groups.get(0));
        }
        return groups.contains(Settings.DEFAULT_GROUP) ? Optional.of(Settings.DEFAULT_GROUP) : Optional.empty();
    }

    public void use(String newGroup) {
        this.chosen = newGroup;
    }

    /** The group is gone (destroyed, detached): when it was current, the current group is implied again. */
    public void groupGone(String gone) {
        if (gone.equals(chosen)) {
            chosen = null;
        }
    }

    /** How many of a group's events print above the prompt: its own level, else the session's (warnings). */
    public EventLevel eventLevel(String group) {
        return group == null ? eventLevel : eventLevels.getOrDefault(group, eventLevel);
    }

    /** Sets the level for one group, or (group empty) for every group without a level of its own. */
    public void eventLevel(Optional<String> group, EventLevel level) {
        group.ifPresentOrElse(g -> eventLevels.put(g, level), () -> {
            eventLevel = level;
            eventLevels.clear();
        });
    }

    public boolean jsonOutput() {
        return jsonOutput;
    }

    public void jsonOutput(boolean on) {
        this.jsonOutput = on;
    }

    /** Whether events already print above the prompt as they arrive (the interactive console). */
    public boolean liveEvents() {
        return liveEvents;
    }

    public void liveEvents(boolean on) {
        this.liveEvents = on;
    }

    /** Asks the console (or script) to stop after this command. */
    public void requestExit() {
        this.exitRequested = true;
    }

    public boolean exitRequested() {
        return exitRequested;
    }

    /** Whether this is a one-shot ({@code rsc -c}): it runs a few commands and exits. */
    public boolean oneShot() {
        return oneShot;
    }

    /** Marks this console as a one-shot ({@code rsc -c}): its reads go over plain sockets. */
    public void oneShot(boolean on) {
        this.oneShot = on;
    }

    void commandStarting() {
        previousStart = currentStart;
        currentStart = Instant.now();
    }

    /** When the command before the running one started: {@code wait} counts events from there. */
    public Instant previousCommandStart() {
        return previousStart;
    }
}

package rsc.session;

import org.junit.jupiter.api.Test;
import rsc.error.RscException;
import rsc.events.EventLevel;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The console's own state, moved out of Session unchanged: which group is current, and what the prompt shows. */
class ConsoleStateUnitTests {

    private final List<String> backendGroups = new ArrayList<>();
    private final List<String> cachedGroups = new ArrayList<>();
    private final AtomicInteger backendAsked = new AtomicInteger();

    private ConsoleState state(String chosen) {
        return new ConsoleState(chosen, () -> {
            backendAsked.incrementAndGet();
            return List.copyOf(backendGroups);
        }, () -> List.copyOf(cachedGroups));
    }

    @Test
    void aChosenGroupIsCurrentWithoutAskingTheBackend() {
        ConsoleState s = state("orders");
        backendGroups.add("mymaster");
        assertEquals(Optional.of("orders"), s.currentGroup());
        assertEquals("orders", s.group());
        assertEquals(Optional.of("orders"), s.promptGroup());
        assertEquals(0, backendAsked.get(), "a chosen group never lists the backend's groups");
    }

    @Test
    void withoutAChoiceTheOnlyGroupElseMymasterElseNone() {
        ConsoleState s = state(null);
        backendGroups.add("orders");
        assertEquals(Optional.of("orders"), s.currentGroup(), "the only group");
        backendGroups.add("mymaster");
        assertEquals(Optional.of("mymaster"), s.currentGroup(), "mymaster among several");
        backendGroups.remove("mymaster");
        backendGroups.add("users");
        assertEquals(Optional.empty(), s.currentGroup());
        RscException e = assertThrows(RscException.class, s::group);
        assertEquals("no current group among orders, users: 'use GROUP' (or --group G) picks one", e.getMessage());
        backendGroups.clear();
        assertEquals("no group yet: 'create-master [GROUP]' creates one",
                assertThrows(RscException.class, s::group).getMessage());
        assertEquals(Optional.empty(), s.chosenGroup());
    }

    @Test
    void thePromptReadsTheCachedGroupsNeverTheBackend() {
        ConsoleState s = state(null);
        backendGroups.add("orders");
        assertEquals(Optional.empty(), s.promptGroup(), "nothing cached yet");
        cachedGroups.add("orders");
        assertEquals(Optional.of("orders"), s.promptGroup());
        assertEquals(0, backendAsked.get());
    }

    @Test
    void aGoneGroupStopsBeingCurrentOnlyWhenItWasTheChosenOne() {
        ConsoleState s = state(null);
        s.use("orders");
        s.groupGone("users");
        assertEquals(Optional.of("orders"), s.chosenGroup());
        s.groupGone("orders");
        assertEquals(Optional.empty(), s.chosenGroup());
    }

    @Test
    void aGroupsEventLevelOverridesTheSessionsUntilTheSessionsIsSetAgain() {
        ConsoleState s = state(null);
        assertEquals(EventLevel.WARNINGS, s.eventLevel("orders"));
        s.eventLevel(Optional.of("orders"), EventLevel.ALL);
        assertEquals(EventLevel.ALL, s.eventLevel("orders"));
        assertEquals(EventLevel.WARNINGS, s.eventLevel("users"));
        s.eventLevel(Optional.empty(), EventLevel.OFF);
        assertEquals(EventLevel.OFF, s.eventLevel("orders"), "setting every group's level drops the per-group ones");
        assertEquals(EventLevel.OFF, s.eventLevel(null));
    }

    @Test
    void previousCommandStartIsWhenTheCommandBeforeTheRunningOneStarted() throws InterruptedException {
        ConsoleState s = state(null);
        s.commandStarting();
        var first = s.previousCommandStart();
        Thread.sleep(5);
        s.commandStarting();
        var second = s.previousCommandStart();
        assertTrue(second.isAfter(first), "the second command's previous start is the first command's start");
        assertFalse(s.exitRequested());
        s.requestExit();
        assertTrue(s.exitRequested());
    }
}

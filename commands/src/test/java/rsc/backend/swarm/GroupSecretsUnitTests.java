package rsc.backend.swarm;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The names of a group's password secrets across rotations, and which names are not the group's. */
class GroupSecretsUnitTests {

    @Test
    void generationsAreReadFromTheNames() {
        assertEquals("rsc-g-password", GroupSecrets.name("g", 1));
        assertEquals("rsc-g-password-2", GroupSecrets.name("g", 2));
        assertEquals(1, GroupSecrets.generation("g", "rsc-g-password"));
        assertEquals(12, GroupSecrets.generation("g", "rsc-g-password-12"));
    }

    @Test
    void anotherGroupsSecretIsNotOneOfThem() {
        // the name filter matches prefixes: group g must not take g-2's secret, nor odd suffixes
        assertEquals(0, GroupSecrets.generation("g", "rsc-g-2-password"));
        assertEquals(0, GroupSecrets.generation("g", "rsc-g-password-x"));
        assertEquals(0, GroupSecrets.generation("g", "rsc-g-password-02"));
        assertEquals(0, GroupSecrets.generation("g", "rsc-g-password-"));
    }
}

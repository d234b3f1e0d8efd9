package io.ipc4j.shm.testing;

import io.ipc4j.shm.SharedSegment;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShmLeakCheckTest {
    @Test
    void seesOurNewFilesOnly() {
        Set<String> before = ShmLeakCheck.snapshot();
        String name = ShmLeakCheck.uniqueName("leak");
        try (SharedSegment s = SharedSegment.create(name, 4096)) {
            assertEquals(Set.of(name), ShmLeakCheck.leakedSince(before));
        }
        assertEquals(Set.of(), ShmLeakCheck.leakedSince(before));
        assertTrue(ShmLeakCheck.isOurs(".ipc4j-tmp." + ProcessHandle.current().pid() + ".1.2.x"));
        assertFalse(ShmLeakCheck.isOurs("ipc4j-test-x-1-2"));
    }
}

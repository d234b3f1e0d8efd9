package io.ipc4j.shm;

import io.ipc4j.IpcException;
import io.ipc4j.posix.PosixMemory;
import org.junit.jupiter.api.Test;

import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SharedSegmentTest {
    private static String unique(String base) {
        return "ipc4j-test-" + base + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    }

    @Test
    void createWriteOpenReadUnlink() {
        String name = unique("basic");
        try (SharedSegment owner = SharedSegment.create(name, 4096)) {
            assertTrue(owner.isOwner());
            owner.memory().set(ValueLayout.JAVA_LONG, 8, 0x1122334455667788L);
            try (SharedSegment reader = SharedSegment.openReadOnly(name)) {
                assertEquals(4096, reader.size());
                assertEquals(0x1122334455667788L, reader.memory().get(ValueLayout.JAVA_LONG, 8));
                assertTrue(reader.memory().isReadOnly());
                assertThrows(RuntimeException.class, () -> reader.memory().set(ValueLayout.JAVA_LONG, 8, 1L));
                reader.advise(PosixMemory.MADV_WILLNEED);
            }
            assertTrue(SharedSegment.exists(name));
        }
        assertFalse(SharedSegment.exists(name));
    }

    @Test
    void createTwiceFails() {
        String name = unique("twice");
        try (SharedSegment owner = SharedSegment.create(name, 4096)) {
            IpcException e = assertThrows(IpcException.class, () -> SharedSegment.create(name, 4096));
            assertEquals(IpcException.Reason.ALREADY_EXISTS, e.reason());
            assertTrue(e.getMessage().contains("EEXIST"), e.getMessage());
        }
    }

    @Test
    void openMissingSaysNotFound() {
        IpcException e = assertThrows(IpcException.class, () -> SharedSegment.open(unique("missing")));
        assertEquals(IpcException.Reason.NOT_FOUND, e.reason());
    }

    @Test
    void closedSegmentAccessThrowsInsteadOfCrashing() {
        SharedSegment s = SharedSegment.create(unique("closed"), 4096);
        var mem = s.memory();
        s.close();
        s.close();
        assertThrows(IllegalStateException.class, () -> mem.get(ValueLayout.JAVA_INT, 0));
    }

    @Test
    void unpublishedIsInvisibleUntilPublished() {
        String name = unique("pub");
        try (SharedSegment s = SharedSegment.createUnpublished(ShmDirectory.defaultDirectory(), name, 4096, 0600)) {
            assertFalse(SharedSegment.exists(name));
            s.publish();
            assertTrue(SharedSegment.exists(name));
        }
        assertFalse(SharedSegment.exists(name));
    }
}

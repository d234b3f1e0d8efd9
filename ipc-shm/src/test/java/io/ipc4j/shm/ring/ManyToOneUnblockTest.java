package io.ipc4j.shm.ring;

import io.ipc4j.IpcException;
import io.ipc4j.IpcException.Reason;
import io.ipc4j.shm.ring.TestRings.Msg;
import io.ipc4j.shm.ring.TestRings.Recorder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ManyToOneRing#unblock()} in one process: the two ways a producer can die mid-claim. */
class ManyToOneUnblockTest {
    private static final int CAPACITY = 1024;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment memory = TestRings.allocate(arena, CAPACITY);
    private final ManyToOneRing ring = ManyToOneRing.initialize(memory, 0, CAPACITY);

    @AfterEach
    void close() {
        arena.close();
    }

    @Test
    void nothingToUnblockOnAnEmptyOrFlowingRing() {
        assertFalse(ring.unblock());
        assertTrue(ring.write(1, new byte[4], 0, 4));
        assertFalse(ring.unblock(), "a committed record does not block");
        assertEquals(1, ring.read(new Recorder()));
        assertFalse(ring.unblock());
    }

    @Test
    void claimNeverCommittedBecomesPadding() {
        long dead = ring.tryClaim(3, 20);                                 // the producer dies here
        assertTrue(ring.write(4, new byte[]{1, 2}, 0, 2));
        Recorder r = new Recorder();
        assertEquals(0, ring.read(r));
        assertTrue(ring.unblock());
        assertEquals(1, ring.read(r));
        assertEquals(List.of(4), r.messages.stream().map(Msg::type).toList());
        assertEquals(ring.producerPosition(), ring.consumerPosition());
        assertThrows(IllegalStateException.class, () -> ring.commit(dead), "the unblocked claim is gone");
    }

    @Test
    void tailMovedButHeaderNeverWrittenIsSkippedOnceALaterRecordExists() {
        // a producer won the compare-and-set of the tail (32 bytes) and died before writing its header
        long tailOffset = CAPACITY + RingBufferLayout.TAIL_POSITION_OFFSET;
        memory.set(ValueLayout.JAVA_LONG, tailOffset, 32L);
        Recorder r = new Recorder();
        assertEquals(0, ring.read(r));
        assertFalse(ring.unblock(), "the dead record's end is unknown until a later record exists");
        assertTrue(ring.write(5, new byte[]{9}, 0, 1));
        assertEquals(0, ring.read(r));
        assertTrue(ring.unblock());
        assertEquals(1, ring.read(r));
        assertEquals(5, r.messages.getFirst().type());
        assertEquals(ring.producerPosition(), ring.consumerPosition());
    }

    @Test
    void impossibleClaimedLengthIsCorrupt() {
        long at = ring.tryClaim(3, 20);
        memory.set(ValueLayout.JAVA_INT, at - 8, Integer.MIN_VALUE);
        assertEquals(Reason.CORRUPT, assertThrows(IpcException.class, ring::unblock).reason());
        memory.set(ValueLayout.JAVA_INT, at - 8, -(CAPACITY + 8));
        assertEquals(Reason.CORRUPT, assertThrows(IpcException.class, ring::unblock).reason());
    }
}

package io.ipc4j.shm.ring;

import java.lang.foreign.MemorySegment;

import static io.ipc4j.shm.ring.RingAccess.LONG;
import static io.ipc4j.shm.ring.RingBufferLayout.*;

/**
 * What {@link OneToOneRing} and {@link ManyToOneRing} share: the ring's slice, its geometry and
 * trailer offsets (final fields the JIT folds like the subclasses' own), and the trailer accessors
 * that do not depend on the protocol; they implement {@link Ring}'s methods of the same names for
 * both subclasses. The producer and consumer paths stay in the subclasses.
 */
abstract sealed class RingBase permits OneToOneRing, ManyToOneRing {
    /** The data area followed by the trailer. */
    final MemorySegment ring;
    /** Data-area bytes, a power of two. */
    final int capacity;
    /** {@code capacity - 1}. */
    final int mask;
    /** {@code capacity / 8}. */
    final int maxMessageLength;
    /** Offset of the tail position in {@link #ring}. */
    final long tailOffset;
    /** Offset of the producers' cached head position. */
    final long headCacheOffset;
    /** Offset of the head position. */
    final long headOffset;

    RingBase(MemorySegment ring, int capacity) {
        this.ring = ring;
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.maxMessageLength = capacity >> 3;
        this.tailOffset = (long) capacity + TAIL_POSITION_OFFSET;
        this.headCacheOffset = (long) capacity + HEAD_CACHE_POSITION_OFFSET;
        this.headOffset = (long) capacity + HEAD_POSITION_OFFSET;
    }

    /** @see Ring */
    public final int capacity() {
        return capacity;
    }

    /** @see Ring */
    public final int maxMessageLength() {
        return maxMessageLength;
    }

    /** @see Ring */
    public final MemorySegment buffer() {
        return ring;
    }

    /** @see Ring */
    public final long producerPosition() {
        return (long) LONG.getVolatile(ring, tailOffset);
    }

    /** @see Ring */
    public final long consumerPosition() {
        return (long) LONG.getVolatile(ring, headOffset);
    }

    /** @see Ring */
    public final int size() {
        return RingAccess.size(ring, capacity);
    }

    /** @see Ring */
    public final long nextCorrelationId() {
        return (long) LONG.getAndAdd(ring, (long) capacity + CORRELATION_COUNTER_OFFSET, 1L);
    }

    /** @see Ring */
    public final void consumerHeartbeatTime(long time) {
        LONG.setRelease(ring, (long) capacity + CONSUMER_HEARTBEAT_OFFSET, time);
    }

    /** @see Ring */
    public final long consumerHeartbeatTime() {
        return (long) LONG.getVolatile(ring, (long) capacity + CONSUMER_HEARTBEAT_OFFSET);
    }
}

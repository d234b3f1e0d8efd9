package io.ipc4j.shm.ring;

import io.ipc4j.IpcException;
import io.ipc4j.IpcException.Reason;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.Objects;

import static io.ipc4j.shm.ring.RingBufferLayout.*;

/** What both rings share: the var handles, wrap-time checks, the consumer loop and {@code size()}. */
final class RingAccess {
    /** int access, coordinates (MemorySegment, long offset), 4-byte aligned, native order. */
    static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    /** long access, coordinates (MemorySegment, long offset), 8-byte aligned, native order. */
    static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    /** Bound on the retries of a consistent (head, tail) snapshot. */
    private static final int SNAPSHOT_TRIES = 1_000;

    private RingAccess() {
    }

    /** Checks the arguments of {@code wrap} and returns the ring's slice. */
    static MemorySegment slice(String what, MemorySegment segment, long offset, int capacity) {
        Objects.requireNonNull(segment, "segment");
        if (!isValidCapacity(capacity)) {
            throw new IpcException(Reason.INVALID_ARGUMENT, what + ": capacity " + capacity
                    + " is not a power of two between " + MIN_CAPACITY + " and " + MAX_CAPACITY);
        }
        if (!segment.scope().isAlive()) {
            throw new IpcException(Reason.CLOSED, what + ": the segment is closed");
        }
        if (!segment.isNative()) {
            throw new IpcException(Reason.INVALID_ARGUMENT, what + ": the segment is on the Java heap; "
                    + "a ring needs native (mapped or allocated) memory");
        }
        if (segment.isReadOnly()) {
            throw new IpcException(Reason.INVALID_ARGUMENT, what + ": the segment is read-only");
        }
        long required = (long) capacity + TRAILER_LENGTH;
        if (offset < 0 || offset > segment.byteSize() || segment.byteSize() - offset < required) {
            throw new IpcException(Reason.INVALID_ARGUMENT, what + ": a ring of capacity " + capacity + " needs "
                    + required + " bytes at offset " + offset + ", the segment has " + segment.byteSize());
        }
        if (((segment.address() + offset) & (REQUIRED_ALIGNMENT - 1)) != 0) {
            throw new IpcException(Reason.INVALID_ARGUMENT, what + ": address 0x"
                    + Long.toHexString(segment.address() + offset) + " is not " + REQUIRED_ALIGNMENT + "-byte aligned");
        }
        return segment.asSlice(offset, required);
    }

    /** Zeroes data area and trailer. */
    static void zero(MemorySegment ring) {
        ring.fill((byte) 0);
        VarHandle.fullFence();
    }

    /**
     * Checks the trailer of a ring in use: positions non-negative, 8-aligned, head &lt;= tail &lt;=
     * head + capacity (read as a consistent snapshot while others may be moving them).
     */
    static void checkTrailer(String what, MemorySegment ring, int capacity) {
        long headOffset = (long) capacity + HEAD_POSITION_OFFSET;
        long tailOffset = (long) capacity + TAIL_POSITION_OFFSET;
        long head = (long) LONG.getVolatile(ring, headOffset);
        long tail = 0;
        for (int i = 0; i < SNAPSHOT_TRIES; i++) {
            tail = (long) LONG.getVolatile(ring, tailOffset);
            long again = (long) LONG.getVolatile(ring, headOffset);
            if (again == head) {
                break;
            }
            head = again;
        }
        long headCache = (long) LONG.getVolatile(ring, (long) capacity + HEAD_CACHE_POSITION_OFFSET);
        String problem = null;
        if (head < 0 || tail < 0 || headCache < 0) {
            problem = "a negative position (head " + head + ", tail " + tail + ", head cache " + headCache + ")";
        } else if (((head | tail | headCache) & (RECORD_ALIGNMENT - 1)) != 0) {
            problem = "a position that is not a multiple of " + RECORD_ALIGNMENT + " (head " + head + ", tail " + tail
                    + ", head cache " + headCache + ")";
        } else if (head > tail) {
            problem = "head position " + head + " ahead of tail position " + tail;
        } else if (tail - head > capacity) {
            problem = "tail position " + tail + " more than the capacity " + capacity + " ahead of head position " + head;
        }
        if (problem != null) {
            throw new IpcException(Reason.CORRUPT, what + ": the ring trailer holds " + problem);
        }
    }

    /**
     * The consumer loop of both rings. Reads records from the head up to the end of the data area,
     * stopping at the first one not committed yet; then (optionally zeroes the consumed bytes and)
     * publishes the new head with a release store. Every iteration consumes at least 8 bytes, so
     * the loop ends within capacity / 8 iterations whatever the memory holds.
     *
     * @param zeroConsumed true for the many-to-one protocol (producers expect zeroed space)
     */
    static int read(MemorySegment ring, int capacity, MessageHandler handler, int limit, boolean zeroConsumed) {
        final long headOffset = (long) capacity + HEAD_POSITION_OFFSET;
        final long head = (long) LONG.get(ring, headOffset);           // only this consumer writes it
        if ((head & (RECORD_ALIGNMENT - 1)) != 0) {
            throw corrupt("head position " + head + " is not a multiple of " + RECORD_ALIGNMENT);
        }
        final int headIndex = (int) head & (capacity - 1);
        final int blockLength = capacity - headIndex;
        int bytesRead = 0;
        int messages = 0;
        try {
            while (bytesRead < blockLength && messages < limit) {
                final int recordIndex = headIndex + bytesRead;
                final int recordLength = (int) INT.getAcquire(ring, (long) recordIndex);
                if (recordLength <= 0) {
                    break;                                             // nothing yet, or claimed not committed
                }
                if (recordLength < RECORD_HEADER_LENGTH || recordLength > blockLength - bytesRead) {
                    throw corrupt("record at index " + recordIndex + " has length " + recordLength
                            + " (must be " + RECORD_HEADER_LENGTH + ".." + (blockLength - bytesRead) + ")");
                }
                final int msgTypeId = (int) INT.get(ring, (long) recordIndex + TYPE_OFFSET);
                if (msgTypeId < 1) {
                    if (msgTypeId != PADDING_MSG_TYPE_ID) {
                        throw corrupt("record at index " + recordIndex + " has message type " + msgTypeId);
                    }
                    bytesRead += align(recordLength);
                    continue;
                }
                bytesRead += align(recordLength);
                handler.onMessage(msgTypeId, ring, (long) recordIndex + RECORD_HEADER_LENGTH,
                        recordLength - RECORD_HEADER_LENGTH);
                ++messages;
            }
        } finally {
            if (bytesRead > 0) {
                if (zeroConsumed) {
                    final long end = (long) headIndex + bytesRead;
                    for (long i = headIndex; i < end; i += 8) {
                        LONG.set(ring, i, 0L);
                    }
                }
                LONG.setRelease(ring, headOffset, head + bytesRead);
            }
        }
        return messages;
    }

    static IpcException corrupt(String problem) {
        return new IpcException(Reason.CORRUPT, "ring buffer corrupt: " + problem);
    }

    /** Bytes claimed and not consumed, from a consistent snapshot, clamped to [0, capacity]. */
    static int size(MemorySegment ring, int capacity) {
        long headOffset = (long) capacity + HEAD_POSITION_OFFSET;
        long tailOffset = (long) capacity + TAIL_POSITION_OFFSET;
        long head = (long) LONG.getVolatile(ring, headOffset);
        long tail = 0;
        for (int i = 0; i < SNAPSHOT_TRIES; i++) {
            tail = (long) LONG.getVolatile(ring, tailOffset);
            long again = (long) LONG.getVolatile(ring, headOffset);
            if (again == head) {
                break;
            }
            head = again;
        }
        long size = tail - head;
        return size < 0 ? 0 : (int) Math.min(size, capacity);
    }

    static void checkMessage(int msgTypeId, int length, int maxMessageLength) {
        if (msgTypeId < 1) {
            throw new IllegalArgumentException("message type must be >= 1, was " + msgTypeId);
        }
        if (length < 0 || length > maxMessageLength) {
            throw new IllegalArgumentException("message length " + length + " is not within 0.." + maxMessageLength);
        }
    }

    /** Turns a claim's payload index into its record index, or throws. */
    static long recordIndex(long index, int capacity) {
        long recordIndex = index - RECORD_HEADER_LENGTH;
        if (recordIndex < 0 || recordIndex > capacity - RECORD_HEADER_LENGTH
                || (recordIndex & (RECORD_ALIGNMENT - 1)) != 0) {
            throw new IllegalArgumentException("index " + index + " is not one tryClaim returns");
        }
        return recordIndex;
    }

    /** @return the (negative) length of a claimed record, or throws when it is not claimed */
    static int claimedLength(MemorySegment ring, long recordIndex) {
        int length = (int) INT.get(ring, recordIndex);
        if (length < 0) {
            return length;
        }
        int type = (int) INT.get(ring, recordIndex + TYPE_OFFSET);
        throw new IllegalStateException("the claim at index " + (recordIndex + RECORD_HEADER_LENGTH) + " was already "
                + (type == PADDING_MSG_TYPE_ID ? "aborted" : "committed"));
    }
}

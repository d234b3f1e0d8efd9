package io.ipc4j.shm.ring;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

import static io.ipc4j.shm.ring.RingAccess.INT;
import static io.ipc4j.shm.ring.RingAccess.LONG;
import static io.ipc4j.shm.ring.RingBufferLayout.*;

/**
 * A ring with exactly one producer thread and one consumer thread, which may live in different
 * processes. Cheaper than {@link ManyToOneRing}: the producer owns the tail, so claiming is a
 * plain store, not a compare-and-set.
 *
 * <pre>{@code
 * OneToOneRing ring = OneToOneRing.initialize(segment, 0, 1 << 16);   // once, by its creator
 * // producer thread
 * if (!ring.write(JOB, bytes, 0, bytes.length)) { backOff(); }
 * // consumer thread
 * int n = ring.read((type, buf, off, len) -> handle(type, buf, off, len));
 * }</pre>
 *
 * <p><b>Protocol</b> (Agrona's {@code OneToOneRingBuffer}, byte-compatible). The consumer does
 * not clear what it consumed; instead the producer zeroes the header after each record it writes
 * (so the consumer stops there), which is why a record needs 8 spare bytes beyond itself and the
 * ring holds at most {@code capacity - 8} bytes. The producer writes the payload and type, then
 * the positive length with a release store; the consumer reads the length with an acquire load.
 *
 * <p>A claim ({@link #tryClaim}) that is never committed blocks the consumer for good; with one
 * producer there is no one else to unblock it: restart both sides on a fresh ring.
 */
public final class OneToOneRing extends RingBase implements Ring {
    private OneToOneRing(MemorySegment ring, int capacity) {
        super(ring, capacity);
    }

    /**
     * Attaches to a ring that was {@link #initialize initialised} before (by this or another
     * process) and checks its trailer.
     *
     * @param segment  native, writable memory holding the ring
     * @param offset   where the ring starts; segment address + offset must be
     *                 {@link RingBufferLayout#REQUIRED_ALIGNMENT}-aligned
     * @param capacity data-area bytes, a power of two in [{@link RingBufferLayout#MIN_CAPACITY},
     *                 {@link RingBufferLayout#MAX_CAPACITY}]
     * @return the ring, over {@code segment.asSlice(offset, requiredBytes(capacity))}
     * @throws io.ipc4j.IpcException INVALID_ARGUMENT for a bad segment, offset or capacity; CLOSED
     *                               for a closed segment; CORRUPT when the trailer holds impossible positions
     */
    public static OneToOneRing wrap(MemorySegment segment, long offset, int capacity) {
        MemorySegment slice = RingAccess.slice("wrap one-to-one ring", segment, offset, capacity);
        RingAccess.checkTrailer("wrap one-to-one ring", slice, capacity);
        return new OneToOneRing(slice, capacity);
    }

    /**
     * Zeroes the ring's memory (data area and trailer) and attaches to it. Only while no one else
     * uses it.
     *
     * @param segment  native, writable memory to hold the ring
     * @param offset   where the ring starts (cache-line aligned address)
     * @param capacity data-area bytes, a power of two
     * @return the empty ring
     * @throws io.ipc4j.IpcException INVALID_ARGUMENT or CLOSED as for {@link #wrap}
     */
    public static OneToOneRing initialize(MemorySegment segment, long offset, int capacity) {
        MemorySegment slice = RingAccess.slice("initialize one-to-one ring", segment, offset, capacity);
        RingAccess.zero(slice);
        return new OneToOneRing(slice, capacity);
    }

    @Override
    public RingType type() {
        return RingType.ONE_TO_ONE;
    }

    @Override
    public boolean write(int msgTypeId, MemorySegment src, long srcOffset, int length) {
        RingAccess.checkMessage(msgTypeId, length, maxMessageLength);
        Objects.checkFromIndexSize(srcOffset, length, src.byteSize());
        final int recordLength = length + RECORD_HEADER_LENGTH;
        final long recordIndex = claim(recordLength);
        if (recordIndex < 0) {
            return false;
        }
        final MemorySegment ring = this.ring;
        INT.setOpaque(ring, recordIndex, -recordLength);
        try {
            MemorySegment.copy(src, srcOffset, ring, recordIndex + RECORD_HEADER_LENGTH, length);
        } catch (RuntimeException e) {
            try {
                abortRecord(recordIndex, -recordLength);         // e.g. src closed meanwhile: do not block the consumer
            } catch (RuntimeException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
        INT.set(ring, recordIndex + TYPE_OFFSET, msgTypeId);
        INT.setRelease(ring, recordIndex, recordLength);
        return true;
    }

    @Override
    public boolean write(int msgTypeId, byte[] src, int srcOffset, int length) {
        RingAccess.checkMessage(msgTypeId, length, maxMessageLength);
        Objects.checkFromIndexSize(srcOffset, length, src.length);
        final int recordLength = length + RECORD_HEADER_LENGTH;
        final long recordIndex = claim(recordLength);
        if (recordIndex < 0) {
            return false;
        }
        final MemorySegment ring = this.ring;
        INT.setOpaque(ring, recordIndex, -recordLength);
        MemorySegment.copy(src, srcOffset, ring, ValueLayout.JAVA_BYTE, recordIndex + RECORD_HEADER_LENGTH, length);
        INT.set(ring, recordIndex + TYPE_OFFSET, msgTypeId);
        INT.setRelease(ring, recordIndex, recordLength);
        return true;
    }

    @Override
    public long tryClaim(int msgTypeId, int length) {
        RingAccess.checkMessage(msgTypeId, length, maxMessageLength);
        final int recordLength = length + RECORD_HEADER_LENGTH;
        final long recordIndex = claim(recordLength);
        if (recordIndex < 0) {
            return INSUFFICIENT_CAPACITY;
        }
        INT.setOpaque(ring, recordIndex, -recordLength);
        INT.set(ring, recordIndex + TYPE_OFFSET, msgTypeId);
        return recordIndex + RECORD_HEADER_LENGTH;
    }

    @Override
    public void commit(long index) {
        long recordIndex = RingAccess.recordIndex(index, capacity);
        int claimed = RingAccess.claimedLength(ring, recordIndex);
        INT.setRelease(ring, recordIndex, -claimed);
    }

    @Override
    public void abort(long index) {
        long recordIndex = RingAccess.recordIndex(index, capacity);
        abortRecord(recordIndex, RingAccess.claimedLength(ring, recordIndex));
    }

    private void abortRecord(long recordIndex, int claimedLength) {
        INT.set(ring, recordIndex + TYPE_OFFSET, PADDING_MSG_TYPE_ID);
        INT.setRelease(ring, recordIndex, -claimedLength);
    }

    /**
     * Reserves {@code align(recordLength)} bytes plus the 8 after them (zeroed here so the consumer
     * stops there), padding to the end of the data area when the record would not fit before it.
     *
     * @return the record index, or -1 when there is no room
     * @throws io.ipc4j.IpcException CORRUPT when the tail position is not 8-aligned
     */
    private long claim(int recordLength) {
        final MemorySegment ring = this.ring;
        final int capacity = this.capacity;
        final int alignedLength = align(recordLength);
        final int required = alignedLength + RECORD_HEADER_LENGTH;
        final long tail = (long) LONG.get(ring, tailOffset);           // only this producer writes it
        long head = (long) LONG.get(ring, headCacheOffset);            // and this cache
        if ((tail & (RECORD_ALIGNMENT - 1)) != 0) {
            throw RingAccess.corrupt("tail position " + tail + " is not a multiple of " + RECORD_ALIGNMENT);
        }
        if (capacity - (tail - head) < required) {
            head = (long) LONG.getAcquire(ring, headOffset);
            if (capacity - (tail - head) < required) {
                return -1;
            }
            LONG.set(ring, headCacheOffset, head);
        }
        final int tailIndex = (int) tail & mask;
        final int toEnd = capacity - tailIndex;
        if (alignedLength == toEnd) {
            // ends exactly at the end of the area: the header to zero is the one at index 0
            LONG.setRelease(ring, tailOffset, tail + alignedLength);
            LONG.set(ring, 0L, 0L);
            return tailIndex;
        }
        if (required <= toEnd) {
            LONG.setRelease(ring, tailOffset, tail + alignedLength);
            LONG.set(ring, (long) tailIndex + alignedLength, 0L);
            return tailIndex;
        }
        // Wrap: pad [tailIndex, capacity), put the record at 0; the consumer must be past `required`.
        int headIndex = (int) head & mask;
        if (headIndex < required) {
            head = (long) LONG.getAcquire(ring, headOffset);
            headIndex = (int) head & mask;
            LONG.set(ring, headCacheOffset, head);
        }
        final boolean fits = headIndex >= required;
        // The padding is published even when the record does not fit: the next claim starts at 0.
        LONG.setRelease(ring, tailOffset, tail + toEnd + (fits ? alignedLength : 0));
        LONG.set(ring, 0L, 0L);
        INT.set(ring, (long) tailIndex + TYPE_OFFSET, PADDING_MSG_TYPE_ID);
        INT.setRelease(ring, (long) tailIndex, toEnd);
        if (!fits) {
            return -1;
        }
        LONG.set(ring, (long) alignedLength, 0L);
        return 0;
    }

    @Override
    public int read(MessageHandler handler) {
        return RingAccess.read(ring, capacity, handler, Integer.MAX_VALUE, false);
    }

    @Override
    public int read(MessageHandler handler, int limit) {
        return RingAccess.read(ring, capacity, handler, limit, false);
    }

    @Override
    public String toString() {
        return "OneToOneRing[capacity " + capacity + "]";
    }
}

package io.ipc4j.shm.ring;

import io.ipc4j.IpcException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.Objects;

import static io.ipc4j.shm.ring.RingAccess.INT;
import static io.ipc4j.shm.ring.RingAccess.LONG;
import static io.ipc4j.shm.ring.RingBufferLayout.*;

/**
 * A ring with any number of producers, in any threads and processes, and one consumer thread.
 *
 * <pre>{@code
 * ManyToOneRing jobs = ManyToOneRing.wrap(segment, 0, 1 << 20);
 * // any producer, loan -> write -> publish:
 * long at = jobs.tryClaim(JOB, 24);
 * if (at >= 0) {
 *     jobs.buffer().set(ValueLayout.JAVA_LONG_UNALIGNED, at, jobId);
 *     ...
 *     jobs.commit(at);
 * }
 * // the consumer
 * jobs.read(handler, 64);
 * }</pre>
 *
 * <p><b>Protocol</b> (Agrona's {@code ManyToOneRingBuffer}, byte-compatible). A producer claims
 * space by a compare-and-set on the tail position, then stores the negated record length
 * (claimed, not committed), the payload and type, and finally the positive length with a release
 * store. The consumer stops at a length &lt;= 0, hands over committed records in order and zeroes
 * what it consumed before moving the head, so every claimed slot starts out zero. The ring holds
 * up to {@code capacity} bytes.
 *
 * <p><b>Dead producers.</b> A producer that dies between claiming and committing leaves the
 * consumer stuck at its record. {@link #unblock()}, called by the consumer's side once it knows
 * the producer is dead (liveness check, or no progress for a long time), turns that record into
 * padding so reading continues.
 */
public final class ManyToOneRing extends RingBase implements Ring {
    private ManyToOneRing(MemorySegment ring, int capacity) {
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
     * @throws IpcException INVALID_ARGUMENT for a bad segment, offset or capacity; CLOSED for a
     *                      closed segment; CORRUPT when the trailer holds impossible positions
     */
    public static ManyToOneRing wrap(MemorySegment segment, long offset, int capacity) {
        MemorySegment slice = RingAccess.slice("wrap many-to-one ring", segment, offset, capacity);
        RingAccess.checkTrailer("wrap many-to-one ring", slice, capacity);
        return new ManyToOneRing(slice, capacity);
    }

    /**
     * Zeroes the ring's memory (data area and trailer) and attaches to it. Only while no one else
     * uses it.
     *
     * @param segment  native, writable memory to hold the ring
     * @param offset   where the ring starts (cache-line aligned address)
     * @param capacity data-area bytes, a power of two
     * @return the empty ring
     * @throws IpcException INVALID_ARGUMENT or CLOSED as for {@link #wrap}
     */
    public static ManyToOneRing initialize(MemorySegment segment, long offset, int capacity) {
        MemorySegment slice = RingAccess.slice("initialize many-to-one ring", segment, offset, capacity);
        RingAccess.zero(slice);
        return new ManyToOneRing(slice, capacity);
    }

    @Override
    public RingType type() {
        return RingType.MANY_TO_ONE;
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
        INT.setRelease(ring, recordIndex, -recordLength);
        VarHandle.releaseFence();                                      // the claim mark precedes every later store
        try {
            MemorySegment.copy(src, srcOffset, ring, recordIndex + RECORD_HEADER_LENGTH, length);
        } catch (RuntimeException e) {
            try {
                abortRecord(recordIndex, -recordLength);               // e.g. src closed meanwhile
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
        INT.setRelease(ring, recordIndex, -recordLength);
        VarHandle.releaseFence();
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
        INT.setRelease(ring, recordIndex, -recordLength);
        VarHandle.releaseFence();
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
     * Reserves {@code align(recordLength)} bytes by moving the tail with a compare-and-set; when
     * the record would not fit before the end of the data area, the same move also reserves the
     * rest of the area, which becomes a padding record.
     *
     * @return the record index, or -1 when there is no room
     * @throws IpcException CORRUPT when the tail position is not 8-aligned
     */
    private long claim(int recordLength) {
        final MemorySegment ring = this.ring;
        final int capacity = this.capacity;
        final int required = align(recordLength);
        long head = (long) LONG.getVolatile(ring, headCacheOffset);
        while (true) {
            final long tail = (long) LONG.getVolatile(ring, tailOffset);
            if ((tail & (RECORD_ALIGNMENT - 1)) != 0) {
                throw RingAccess.corrupt("tail position " + tail + " is not a multiple of " + RECORD_ALIGNMENT);
            }
            if (capacity - (tail - head) < required) {
                head = (long) LONG.getVolatile(ring, headOffset);
                if (capacity - (tail - head) < required) {
                    return -1;
                }
                LONG.setRelease(ring, headCacheOffset, head);
            }
            final int tailIndex = (int) tail & mask;
            final int toEnd = capacity - tailIndex;
            int padding = 0;
            long recordIndex = tailIndex;
            long newTail = tail + required;
            if (required > toEnd) {
                // wrap: the record goes to 0, so the consumer must already be past `required` there
                int headIndex = (int) head & mask;
                if (headIndex < required) {
                    head = (long) LONG.getVolatile(ring, headOffset);
                    headIndex = (int) head & mask;
                    LONG.setRelease(ring, headCacheOffset, head);
                }
                padding = toEnd;
                if (headIndex < required) {
                    recordIndex = -1;
                    newTail = tail + padding;                          // claim only the padding
                } else {
                    recordIndex = 0;
                    newTail = tail + padding + required;
                }
            }
            if (LONG.compareAndSet(ring, tailOffset, tail, newTail)) {
                if (padding != 0) {
                    INT.setRelease(ring, (long) tailIndex, -padding);
                    VarHandle.releaseFence();
                    INT.set(ring, (long) tailIndex + TYPE_OFFSET, PADDING_MSG_TYPE_ID);
                    INT.setRelease(ring, (long) tailIndex, padding);
                }
                return recordIndex;
            }
        }
    }

    @Override
    public int read(MessageHandler handler) {
        return RingAccess.read(ring, capacity, handler, Integer.MAX_VALUE, true);
    }

    @Override
    public int read(MessageHandler handler, int limit) {
        return RingAccess.read(ring, capacity, handler, limit, true);
    }

    /**
     * Frees the consumer from a record a producer claimed and will never commit (it died between
     * {@link #tryClaim} and {@link #commit}, or between moving the tail and marking its claim):
     * that record becomes padding and {@link #read} moves past it.
     *
     * <p>Call it only on the consumer's side and only once the producer is known dead, or the ring
     * made no progress for far longer than any producer takes to commit: a slow but live producer
     * whose claim is unblocked would later write into space the ring has reused. When the dead
     * producer moved the tail but never wrote its header, the record's end is only known once a
     * later record exists, so this returns false until some producer writes after it.
     *
     * @return true when a blocking record was turned into padding
     * @throws IpcException CORRUPT when the record at the head holds a length no producer writes
     */
    public boolean unblock() {
        final MemorySegment ring = this.ring;
        final long head = (long) LONG.getVolatile(ring, headOffset);
        final long tail = (long) LONG.getVolatile(ring, tailOffset);
        if (head == tail) {
            return false;
        }
        final int consumerIndex = (int) head & mask;
        final int producerIndex = (int) tail & mask;
        if ((consumerIndex & (RECORD_ALIGNMENT - 1)) != 0) {
            throw RingAccess.corrupt("head position " + head + " is not a multiple of " + RECORD_ALIGNMENT);
        }
        final int length = (int) INT.getVolatile(ring, (long) consumerIndex);
        if (length < 0) {
            // claimed, never committed: keep its length, make it padding
            if (length == Integer.MIN_VALUE || -length < RECORD_HEADER_LENGTH || -length > capacity - consumerIndex) {
                throw RingAccess.corrupt("claimed record at index " + consumerIndex + " has length " + length);
            }
            INT.set(ring, (long) consumerIndex + TYPE_OFFSET, PADDING_MSG_TYPE_ID);
            INT.setRelease(ring, (long) consumerIndex, -length);
            return true;
        }
        if (length == 0) {
            // tail moved, header never written: the record ends where the next written header starts
            final int limit = producerIndex > consumerIndex ? producerIndex : capacity;
            for (int i = consumerIndex + RECORD_ALIGNMENT; i < limit; i += RECORD_ALIGNMENT) {
                if ((int) INT.getVolatile(ring, (long) i) != 0) {
                    if (stillZero(consumerIndex, i)) {
                        INT.set(ring, (long) consumerIndex + TYPE_OFFSET, PADDING_MSG_TYPE_ID);
                        INT.setRelease(ring, (long) consumerIndex, i - consumerIndex);
                        return true;
                    }
                    return false;
                }
            }
        }
        return false;
    }

    /** Re-checks, backwards, that no header appeared in [from, to) while we scanned forwards (from = the head's own). */
    private boolean stillZero(int from, int to) {
        for (int i = to - RECORD_ALIGNMENT; i >= from; i -= RECORD_ALIGNMENT) {
            if ((int) INT.getVolatile(ring, (long) i) != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "ManyToOneRing[capacity " + capacity + "]";
    }
}

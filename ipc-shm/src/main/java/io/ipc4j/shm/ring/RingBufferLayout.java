package io.ipc4j.shm.ring;

import io.ipc4j.IpcException;
import io.ipc4j.IpcException.Reason;

/**
 * The bytes of a ring buffer: a data area of {@code capacity} bytes (a power of two) followed by
 * a trailer of {@link #TRAILER_LENGTH} bytes holding the positions and counters, each on its own
 * pair of cache lines so producers and the consumer do not false-share. Byte-compatible with
 * Agrona's {@code RingBufferDescriptor} and {@code RecordDescriptor}.
 *
 * <pre>
 *  offset                      what
 *  0                           +-----------------------------------------------+
 *                              | records (capacity bytes, a power of two)       |
 *                              |   each: | length int | type int | payload ... |
 *                              |   aligned to 8 bytes; a record never wraps     |
 *  capacity                    +-----------------------------------------------+
 *  capacity + 128              | tail position      long (producers)           |
 *  capacity + 256              | head cache position long (producers' copy)     |
 *  capacity + 384              | head position      long (consumer)            |
 *  capacity + 512              | correlation counter long                       |
 *  capacity + 640              | consumer heartbeat long (time, caller's unit)  |
 *  capacity + 768              +-----------------------------------------------+
 * </pre>
 *
 * <p><b>Records.</b> A record is an 8-byte header ({@link #LENGTH_OFFSET length} int, then
 * {@link #TYPE_OFFSET type} int, both little-endian) followed by the payload. The length counts
 * the header plus the payload, unaligned; the next record starts at the length rounded up to
 * {@link #RECORD_ALIGNMENT}. A length of zero means "nothing here yet", a negative length means
 * "claimed by a producer, not committed yet" (the consumer waits). A record that would run past
 * the end of the data area is preceded by a padding record ({@link #PADDING_MSG_TYPE_ID}) filling
 * the rest of the area, and written at offset 0.
 *
 * <p><b>Positions</b> (tail, head) count bytes since the ring was initialised and never wrap;
 * the index of a position in the data area is {@code position & (capacity - 1)}. Invariant:
 * {@code 0 <= head <= tail <= head + capacity}, both multiples of 8.
 */
public final class RingBufferLayout {
    /** The cache line length the trailer is laid out for, in bytes. */
    public static final int CACHE_LINE_LENGTH = 64;
    /** Trailer offset (after the data area) of the tail position: where producers write next. */
    public static final int TAIL_POSITION_OFFSET = 2 * CACHE_LINE_LENGTH;
    /** Trailer offset of the producers' cached copy of the head position. */
    public static final int HEAD_CACHE_POSITION_OFFSET = 4 * CACHE_LINE_LENGTH;
    /** Trailer offset of the head position: where the consumer reads next. */
    public static final int HEAD_POSITION_OFFSET = 6 * CACHE_LINE_LENGTH;
    /** Trailer offset of the correlation counter ({@link Ring#nextCorrelationId()}). */
    public static final int CORRELATION_COUNTER_OFFSET = 8 * CACHE_LINE_LENGTH;
    /** Trailer offset of the consumer heartbeat ({@link Ring#consumerHeartbeatTime(long)}). */
    public static final int CONSUMER_HEARTBEAT_OFFSET = 10 * CACHE_LINE_LENGTH;
    /** Bytes of the trailer that follows the data area. */
    public static final int TRAILER_LENGTH = 12 * CACHE_LINE_LENGTH;

    /** Bytes of a record header: length int + type int. */
    public static final int RECORD_HEADER_LENGTH = 8;
    /** Offset of the length int within a record header. */
    public static final int LENGTH_OFFSET = 0;
    /** Offset of the message type int within a record header. */
    public static final int TYPE_OFFSET = 4;
    /** Records start at multiples of this many bytes. */
    public static final int RECORD_ALIGNMENT = 8;
    /** The type of padding records, which the consumer skips. Message types must be &gt;= 1. */
    public static final int PADDING_MSG_TYPE_ID = -1;

    /** Smallest data-area capacity accepted, in bytes. */
    public static final int MIN_CAPACITY = 64;
    /** Largest data-area capacity accepted, in bytes (1 GiB). */
    public static final int MAX_CAPACITY = 1 << 30;
    /** A ring must start at an address that is a multiple of this (a cache line). */
    public static final int REQUIRED_ALIGNMENT = CACHE_LINE_LENGTH;

    private RingBufferLayout() {
    }

    /**
     * @param capacity a data-area capacity
     * @return true when it is a power of two within [{@link #MIN_CAPACITY}, {@link #MAX_CAPACITY}]
     */
    public static boolean isValidCapacity(int capacity) {
        return capacity >= MIN_CAPACITY && capacity <= MAX_CAPACITY && Integer.bitCount(capacity) == 1;
    }

    /**
     * Checks a data-area capacity.
     *
     * @param capacity the capacity in bytes
     * @return {@code capacity}
     * @throws IpcException INVALID_ARGUMENT unless {@link #isValidCapacity(int)}
     */
    public static int checkCapacity(int capacity) {
        if (!isValidCapacity(capacity)) {
            throw new IpcException(Reason.INVALID_ARGUMENT, "ring capacity " + capacity
                    + " is not a power of two between " + MIN_CAPACITY + " and " + MAX_CAPACITY + " bytes");
        }
        return capacity;
    }

    /**
     * @param capacity a valid data-area capacity
     * @return bytes a ring of that capacity occupies: data area plus trailer
     * @throws IpcException INVALID_ARGUMENT for an invalid capacity
     */
    public static long requiredBytes(int capacity) {
        return (long) checkCapacity(capacity) + TRAILER_LENGTH;
    }

    /**
     * @param capacity a valid data-area capacity
     * @return the longest payload a ring of that capacity takes: {@code capacity / 8}
     */
    public static int maxMessageLength(int capacity) {
        return checkCapacity(capacity) >> 3;
    }

    /**
     * @param length a record length (header + payload), &gt;= 0 and at most {@code Integer.MAX_VALUE - 7}
     * @return the length rounded up to {@link #RECORD_ALIGNMENT}
     */
    public static int align(int length) {
        return (length + (RECORD_ALIGNMENT - 1)) & -RECORD_ALIGNMENT;
    }
}

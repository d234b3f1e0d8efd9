package io.ipc4j.shm.header;

import io.ipc4j.IpcException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

/**
 * The layout of the descriptor header that starts every ipc4j segment except tensor stores
 * (which are plain safetensors files). One cache line, native byte order (little-endian on every
 * platform ipc4j runs on), all fields naturally aligned:
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                  Magic "IPC4JSEG" (8 ASCII bytes)             |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                        Layout Version                         |  8
 *  +---------------------------------------------------------------+
 *  |                        Kind (SegmentKind code)                | 12
 *  +---------------------------------------------------------------+
 *  |                 Flags (bit 0: PERSISTENT)                     | 16
 *  +---------------------------------------------------------------+
 *  |              Header Length = Payload Offset (64)              | 20
 *  +---------------------------------------------------------------+
 *  |                     Creator PID (64 bits)                     | 24
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |       Creator Start Time, clock ticks after boot (64 bits)    | 32
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |             Creation Time, epoch millis (64 bits)             | 40
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                  Payload Length (64 bits)                     | 48
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |           Ready Word (0 = not ready, 1 = ready)               | 56
 *  +---------------------------------------------------------------+
 *  |       Payload Version (defined by the kind's own layout)      | 60
 *  +---------------------------------------------------------------+
 *  |                         Payload ...                           | 64
 * </pre>
 *
 * <p><b>Protocol.</b> The creator writes every field with plain stores while the ready word is
 * 0, publishes the name, fills the payload, and only then stores {@link #READY} into the ready
 * word with release semantics ({@link #markReady}). Readers load the ready word with acquire
 * semantics ({@link #readyWord}) before trusting the payload. The ready word is the last field a
 * creator writes and the first one a reader checks.
 *
 * <p><b>Compatibility.</b> {@link #LAYOUT_VERSION} changes whenever this layout changes; an
 * opener that meets another version refuses the segment
 * ({@link IpcException.Reason#VERSION_MISMATCH}) rather than misreading it. The payload version
 * is for the kind's own layout (e.g. a ring buffer's descriptor) and is checked by that kind's
 * code.
 */
public final class DescriptorHeader {
    /** The magic as text. */
    public static final String MAGIC_TEXT = "IPC4JSEG";
    /** The magic read as one native-order {@code long} at offset 0. */
    public static final long MAGIC = MemorySegment.ofArray(MAGIC_TEXT.getBytes(StandardCharsets.US_ASCII))
            .get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
    /** The header layout this library writes and reads. */
    public static final int LAYOUT_VERSION = 1;

    /** Offset of the 8-byte magic. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of the layout version ({@code int}). */
    public static final int LAYOUT_VERSION_OFFSET = 8;
    /** Offset of the kind code ({@code int}, see {@link SegmentKind#code()}). */
    public static final int KIND_OFFSET = 12;
    /** Offset of the flags ({@code int}). */
    public static final int FLAGS_OFFSET = 16;
    /** Offset of the header length, which is also the payload's offset ({@code int}). */
    public static final int HEADER_LENGTH_OFFSET = 20;
    /** Offset of the creator's pid ({@code long}). */
    public static final int CREATOR_PID_OFFSET = 24;
    /** Offset of the creator's start time in clock ticks after boot ({@code long}). */
    public static final int CREATOR_START_TICKS_OFFSET = 32;
    /** Offset of the creation time in milliseconds since the epoch ({@code long}). */
    public static final int CREATION_TIME_OFFSET = 40;
    /** Offset of the payload length in bytes ({@code long}). */
    public static final int PAYLOAD_LENGTH_OFFSET = 48;
    /** Offset of the ready word ({@code int}, written last with release semantics). */
    public static final int READY_OFFSET = 56;
    /** Offset of the kind-defined payload layout version ({@code int}). */
    public static final int PAYLOAD_VERSION_OFFSET = 60;

    /** Size of the header: one cache line. The payload starts here, cache-line aligned. */
    public static final int LENGTH = 64;
    /** The cache line size the header is padded to. */
    public static final int CACHE_LINE = 64;

    /** Flag bit: the segment is meant to outlive its creator; garbage collection keeps it. */
    public static final int FLAG_PERSISTENT = 1;
    /** Ready word value before the creator has finished. */
    public static final int NOT_READY = 0;
    /** Ready word value once the creator has finished writing header and payload. */
    public static final int READY = 1;

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    static {
        if (LENGTH % CACHE_LINE != 0 || PAYLOAD_VERSION_OFFSET + Integer.BYTES > LENGTH) {
            throw new ExceptionInInitializerError("descriptor header layout does not fit its length");
        }
    }

    private DescriptorHeader() {
    }

    /**
     * The capacity check: the size of a segment holding a header and {@code payloadBytes}.
     *
     * @param payloadBytes payload size, &gt;= 0
     * @return {@link #LENGTH} + {@code payloadBytes}
     * @throws IpcException INVALID_ARGUMENT for a negative size, TOO_LARGE when the sum overflows
     */
    public static long segmentLength(long payloadBytes) {
        if (payloadBytes < 0) {
            throw new IpcException(IpcException.Reason.INVALID_ARGUMENT,
                    "payload size must be >= 0, was " + payloadBytes);
        }
        if (payloadBytes > Long.MAX_VALUE - LENGTH) {
            throw new IpcException(IpcException.Reason.TOO_LARGE, "payload size " + payloadBytes + " is too large");
        }
        return LENGTH + payloadBytes;
    }

    /**
     * @param memory a segment's bytes (any size)
     * @return true when it is at least 8 bytes long and starts with {@link #MAGIC_TEXT}
     */
    public static boolean hasMagic(MemorySegment memory) {
        return memory.byteSize() >= Long.BYTES && memory.get(ValueLayout.JAVA_LONG, MAGIC_OFFSET) == MAGIC;
    }

    /**
     * Reads every header field. The ready word is loaded first, with acquire semantics, so
     * when it reads {@link #READY} the other fields (and the payload) are the creator's final
     * values. Nothing is validated here beyond the size: see {@link HeaderFields} for checks.
     *
     * @param memory a segment's bytes, mapped at offset 0
     * @return the fields
     * @throws IpcException TRUNCATED when {@code memory} is shorter than {@link #LENGTH}
     */
    public static HeaderFields read(MemorySegment memory) {
        if (memory.byteSize() < LENGTH) {
            throw new IpcException(IpcException.Reason.TRUNCATED, "segment of " + memory.byteSize()
                    + " bytes is smaller than the " + LENGTH + "-byte descriptor header");
        }
        int ready = readyWord(memory);
        return new HeaderFields(
                memory.get(ValueLayout.JAVA_LONG, MAGIC_OFFSET),
                memory.get(ValueLayout.JAVA_INT, LAYOUT_VERSION_OFFSET),
                memory.get(ValueLayout.JAVA_INT, KIND_OFFSET),
                memory.get(ValueLayout.JAVA_INT, FLAGS_OFFSET),
                memory.get(ValueLayout.JAVA_INT, HEADER_LENGTH_OFFSET),
                memory.get(ValueLayout.JAVA_LONG, CREATOR_PID_OFFSET),
                memory.get(ValueLayout.JAVA_LONG, CREATOR_START_TICKS_OFFSET),
                memory.get(ValueLayout.JAVA_LONG, CREATION_TIME_OFFSET),
                memory.get(ValueLayout.JAVA_LONG, PAYLOAD_LENGTH_OFFSET),
                ready,
                memory.get(ValueLayout.JAVA_INT, PAYLOAD_VERSION_OFFSET));
    }

    /**
     * Loads the ready word with acquire semantics.
     *
     * @param memory a segment's bytes, at least {@link #LENGTH} long
     * @return {@link #READY}, {@link #NOT_READY} or (in a damaged segment) anything else
     */
    public static int readyWord(MemorySegment memory) {
        return (int) INT.getAcquire(memory, (long) READY_OFFSET);
    }

    /**
     * Writes every field except the ready word, which is set to {@link #NOT_READY}. Used by the
     * creator before the name is published.
     *
     * @param memory         writable segment memory, at least {@link #LENGTH} long
     * @param kind           the segment kind
     * @param flags          flag bits ({@link #FLAG_PERSISTENT})
     * @param creatorPid     the creator's pid
     * @param creatorTicks   the creator's start time in clock ticks
     * @param creationMillis creation time, epoch millis
     * @param payloadLength  payload bytes following the header
     * @param payloadVersion the kind-defined payload layout version
     */
    static void write(MemorySegment memory, SegmentKind kind, int flags, long creatorPid, long creatorTicks,
                      long creationMillis, long payloadLength, int payloadVersion) {
        memory.set(ValueLayout.JAVA_LONG, MAGIC_OFFSET, MAGIC);
        memory.set(ValueLayout.JAVA_INT, LAYOUT_VERSION_OFFSET, LAYOUT_VERSION);
        memory.set(ValueLayout.JAVA_INT, KIND_OFFSET, kind.code());
        memory.set(ValueLayout.JAVA_INT, FLAGS_OFFSET, flags);
        memory.set(ValueLayout.JAVA_INT, HEADER_LENGTH_OFFSET, LENGTH);
        memory.set(ValueLayout.JAVA_LONG, CREATOR_PID_OFFSET, creatorPid);
        memory.set(ValueLayout.JAVA_LONG, CREATOR_START_TICKS_OFFSET, creatorTicks);
        memory.set(ValueLayout.JAVA_LONG, CREATION_TIME_OFFSET, creationMillis);
        memory.set(ValueLayout.JAVA_LONG, PAYLOAD_LENGTH_OFFSET, payloadLength);
        memory.set(ValueLayout.JAVA_INT, PAYLOAD_VERSION_OFFSET, payloadVersion);
        INT.setRelease(memory, (long) READY_OFFSET, NOT_READY);
    }

    /**
     * Stores {@link #READY} into the ready word with release semantics: every earlier write to
     * the header and payload becomes visible to a reader that sees the word set.
     *
     * @param memory writable segment memory, at least {@link #LENGTH} long
     */
    static void markReady(MemorySegment memory) {
        INT.setRelease(memory, (long) READY_OFFSET, READY);
    }

    /**
     * Shows 8 magic bytes for people: hex in file order, plus the ASCII text when printable.
     *
     * @param magic the first 8 bytes read as a native-order {@code long}
     * @return e.g. {@code 0x495043344A534547 ("IPC4JSEG")}
     */
    public static String describeMagic(long magic) {
        byte[] b = new byte[Long.BYTES];
        MemorySegment.ofArray(b).set(ValueLayout.JAVA_LONG_UNALIGNED, 0, magic);
        StringBuilder hex = new StringBuilder("0x");
        StringBuilder text = new StringBuilder();
        boolean printable = true;
        for (byte x : b) {
            hex.append(String.format("%02X", x & 0xff));
            printable &= x >= 0x20 && x < 0x7f;
            text.append((char) (x & 0xff));
        }
        return printable ? hex + " (\"" + text + "\")" : hex.toString();
    }
}

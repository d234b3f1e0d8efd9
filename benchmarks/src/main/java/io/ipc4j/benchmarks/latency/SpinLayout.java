package io.ipc4j.benchmarks.latency;

import io.ipc4j.IpcException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Byte layout of the {@code spin} transport's shared segment.
 *
 * <pre>
 *   offset  size   field                      written by
 *   0       8      ping sequence              parent (release), read by child (acquire)
 *   8       120    padding (own cache lines)
 *   128     8      pong sequence              child (release), read by parent (acquire)
 *   136     120    padding
 *   256     8      magic "IPC4SPIN"           parent, before spawning the child
 *   264     4      layout version             parent, before spawning the child
 *   268     4      payload size (bytes)       parent, before spawning the child
 *   272     112    padding
 *   384     P      ping payload               parent, before publishing the ping sequence
 *   384+P'  P      pong payload               child, before publishing the pong sequence
 *   (P' = P rounded up to 128; total = 384 + 2 * P')
 * </pre>
 *
 * <p>Protocol: the child announces itself by publishing {@link #READY} as the pong sequence. The
 * parent sends message {@code n} (1, 2, 3, ...) by writing the ping payload, then publishing
 * {@code n} as the ping sequence; the child copies the ping payload out, writes it to the pong
 * payload and publishes {@code n} as the pong sequence. {@link #STOP} as the ping sequence asks
 * the child to exit. Each sequence sits alone in a 128-byte slot (two cache lines, so
 * adjacent-line prefetching does not couple them either).
 */
final class SpinLayout {
    static final long PING_SEQ = 0;
    static final long PONG_SEQ = 128;
    static final long MAGIC_OFFSET = 256;
    static final long VERSION_OFFSET = 264;
    static final long SIZE_OFFSET = 268;
    static final long PAYLOAD_OFFSET = 384;
    static final long SLOT_ALIGN = 128;

    /** "IPC4SPIN" in ASCII, big-endian reading. */
    static final long MAGIC = 0x4950_4334_5350_494EL;
    static final int VERSION = 1;
    /** Pong sequence published by the child once it is ready. */
    static final long READY = -1L;
    /** Ping sequence that asks the child to exit. */
    static final long STOP = Long.MAX_VALUE;
    /** Largest payload per direction. */
    static final int MAX_PAYLOAD = 256 << 20;

    /** A long at (segment, offset): use getAcquire / setRelease on the sequences. */
    static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    private SpinLayout() {
    }

    /** @return the payload area size per direction for {@code payload} bytes */
    static long slot(int payload) {
        return (payload + SLOT_ALIGN - 1) / SLOT_ALIGN * SLOT_ALIGN;
    }

    static long pingPayload() {
        return PAYLOAD_OFFSET;
    }

    static long pongPayload(int payload) {
        return PAYLOAD_OFFSET + slot(payload);
    }

    /** @return the segment size needed for {@code payload} bytes per direction */
    static long segmentSize(int payload) {
        checkPayload(payload);
        return PAYLOAD_OFFSET + 2 * slot(payload);
    }

    static void checkPayload(long payload) {
        if (payload < 0 || payload > MAX_PAYLOAD) {
            throw new IpcException(IpcException.Reason.INVALID_ARGUMENT,
                    "spin transport: payload size must be 0.." + MAX_PAYLOAD + " bytes, was " + payload);
        }
    }

    /** Writes the constant header fields (before the child is spawned). */
    static void writeHeader(MemorySegment mem, int payload) {
        mem.set(ValueLayout.JAVA_INT, SIZE_OFFSET, payload);
        mem.set(ValueLayout.JAVA_INT, VERSION_OFFSET, VERSION);
        mem.set(ValueLayout.JAVA_LONG, MAGIC_OFFSET, MAGIC);
    }

    /**
     * Checks the header of a mapped segment and returns its payload size, never trusting the
     * bytes: the size must fit the mapping.
     */
    static int readHeader(MemorySegment mem, String name) {
        if (mem.byteSize() < PAYLOAD_OFFSET) {
            throw new IpcException(IpcException.Reason.TRUNCATED, "spin segment '" + name + "': " + mem.byteSize()
                    + " bytes is shorter than its " + PAYLOAD_OFFSET + "-byte header");
        }
        long magic = mem.get(ValueLayout.JAVA_LONG, MAGIC_OFFSET);
        if (magic != MAGIC) {
            throw new IpcException(IpcException.Reason.WRONG_MAGIC, "spin segment '" + name + "': wrong magic 0x"
                    + Long.toHexString(magic) + " (expected 0x" + Long.toHexString(MAGIC) + ")");
        }
        int version = mem.get(ValueLayout.JAVA_INT, VERSION_OFFSET);
        if (version != VERSION) {
            throw new IpcException(IpcException.Reason.VERSION_MISMATCH, "spin segment '" + name
                    + "': layout version " + version + ", this code understands " + VERSION);
        }
        int payload = mem.get(ValueLayout.JAVA_INT, SIZE_OFFSET);
        if (payload < 0 || payload > MAX_PAYLOAD || segmentSize(payload) > mem.byteSize()) {
            throw new IpcException(IpcException.Reason.CORRUPT, "spin segment '" + name + "': payload size "
                    + payload + " does not fit its " + mem.byteSize() + " bytes");
        }
        return payload;
    }
}

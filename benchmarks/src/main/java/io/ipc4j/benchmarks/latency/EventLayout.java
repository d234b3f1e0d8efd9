package io.ipc4j.benchmarks.latency;

import io.ipc4j.IpcException;
import io.ipc4j.shm.header.CreateOptions;
import io.ipc4j.shm.header.DescribedSegment;
import io.ipc4j.shm.header.SegmentKind;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Payload layout of the segment shared by the {@code futex}, {@code hybrid} and {@code posix-sem}
 * transports. The segment is a {@link DescribedSegment} of kind {@link SegmentKind#EVENTS} (so
 * {@code ipc4j shm ls/gc} recognise it and a leftover of a killed parent is collectable: its
 * creator pid is in the header), with {@link #VERSION} as its payload version. Offsets below are
 * relative to the (cache-line aligned) payload.
 *
 * <pre>
 *   offset  size  field                          written by
 *   0       8     ping sequence (long)           parent (release), read by child (acquire)
 *   8       8     ping doorbell (FutexEvent)     parent signals, child waits (futex, hybrid)
 *   16      112   padding (own 128-byte slot)
 *   128     8     pong sequence                  child (release), read by parent (acquire)
 *   136     8     pong doorbell (FutexEvent)     child signals, parent waits
 *   144     112   padding
 *   256     4     payload size (bytes)           parent, before marking the segment ready
 *   260     124   padding
 *   384     P     ping payload                   parent, before publishing the ping sequence
 *   384+P'  P     pong payload                   child, before publishing the pong sequence
 *   (P' = P rounded up to 128; total = 384 + 2 * P')
 * </pre>
 *
 * <p>Each direction's sequence word and doorbell share one cache line on purpose: the sender
 * writes both back to back and the receiver reads both, so a message moves one line, not two.
 * The two directions sit in separate 128-byte slots (two lines, so adjacent-line prefetch does
 * not couple them). The protocol is {@link SpinLayout}'s ({@link SpinLayout#READY},
 * {@link SpinLayout#STOP}); the doorbells (or the POSIX semaphores) only add the wake-up.
 */
final class EventLayout {
    static final long PING_SEQ = 0;
    static final long PING_BELL = 8;
    static final long PONG_SEQ = 128;
    static final long PONG_BELL = 136;
    static final long SIZE_OFFSET = 256;
    static final long PAYLOAD_OFFSET = 384;

    /** Payload layout version stored in the descriptor header. */
    static final int VERSION = 1;

    private static final AtomicLong COUNTER = new AtomicLong();

    private EventLayout() {
    }

    static long pingPayload() {
        return PAYLOAD_OFFSET;
    }

    static long pongPayload(int payload) {
        return PAYLOAD_OFFSET + SpinLayout.slot(payload);
    }

    /** @return the payload bytes (after the descriptor header) needed for {@code payload} bytes per direction */
    static long payloadBytes(int payload) {
        SpinLayout.checkPayload(payload);
        return PAYLOAD_OFFSET + 2 * SpinLayout.slot(payload);
    }

    /** @return a fresh segment name {@code ipc4j-bench-WHAT-PID-NANOS-N} */
    static String uniqueName(String what) {
        return "ipc4j-bench-" + what + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime()
                + "-" + COUNTER.incrementAndGet();
    }

    /** Creates, initialises and marks ready the segment (zeroed sequences and doorbells). */
    static DescribedSegment create(String name, int payload) {
        return DescribedSegment.create(name, SegmentKind.EVENTS, payloadBytes(payload),
                CreateOptions.defaults().payloadVersion(VERSION), mem -> {
                    mem.set(ValueLayout.JAVA_INT, SIZE_OFFSET, payload);
                    // a recognisable, non-zero ping payload
                    for (long i = 0; i < payload; i++) {
                        mem.set(ValueLayout.JAVA_BYTE, PAYLOAD_OFFSET + i, (byte) i);
                    }
                });
    }

    /**
     * Opens the segment in the child and checks its payload version and size, never trusting the
     * bytes.
     *
     * @return the opened segment; the caller closes it
     */
    static DescribedSegment open(String name, String transport, Duration readyTimeout) {
        DescribedSegment seg = DescribedSegment.open(name, SegmentKind.EVENTS, readyTimeout);
        try {
            int version = seg.header().payloadVersion();
            if (version != VERSION) {
                throw new IpcException(IpcException.Reason.VERSION_MISMATCH, transport + " segment '" + name
                        + "': payload layout version " + version + ", this code understands " + VERSION);
            }
            MemorySegment mem = seg.payload();
            if (mem.byteSize() < PAYLOAD_OFFSET) {
                throw new IpcException(IpcException.Reason.TRUNCATED, transport + " segment '" + name + "': "
                        + mem.byteSize() + " payload bytes, fewer than the " + PAYLOAD_OFFSET + "-byte control area");
            }
            int payload = mem.get(ValueLayout.JAVA_INT, SIZE_OFFSET);
            if (payload < 0 || payload > SpinLayout.MAX_PAYLOAD || payloadBytes(payload) > mem.byteSize()) {
                throw new IpcException(IpcException.Reason.CORRUPT, transport + " segment '" + name
                        + "': message size " + payload + " does not fit its " + mem.byteSize() + " payload bytes");
            }
            return seg;
        } catch (RuntimeException e) {
            seg.close();
            throw e;
        }
    }

    /** @return the message size recorded in an opened segment */
    static int messageSize(DescribedSegment seg) {
        return seg.payload().get(ValueLayout.JAVA_INT, SIZE_OFFSET);
    }
}

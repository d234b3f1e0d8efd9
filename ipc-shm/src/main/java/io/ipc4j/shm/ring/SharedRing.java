package io.ipc4j.shm.ring;

import io.ipc4j.IpcException;
import io.ipc4j.IpcException.Reason;
import io.ipc4j.shm.ShmDirectory;
import io.ipc4j.shm.header.CreateOptions;
import io.ipc4j.shm.header.DescribedSegment;
import io.ipc4j.shm.header.SegmentKind;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.Objects;

/**
 * A named shared-memory segment ({@code /dev/shm/NAME}) holding one ring: a
 * {@link DescribedSegment} of kind {@link SegmentKind#RING} whose payload is laid out as
 * {@link SharedRingLayout} says.
 *
 * <pre>{@code
 * // the consumer's process creates it
 * try (SharedRing jobs = SharedRing.createManyToOne("jobs", 1 << 20)) {
 *     ManyToOneRing ring = jobs.manyToOne();
 *     while (running) { ring.read(handler); }
 * }
 * // each producer process
 * try (SharedRing jobs = SharedRing.open("jobs", Duration.ofSeconds(5))) {
 *     jobs.manyToOne().write(JOB, bytes, 0, bytes.length);
 * }
 * }</pre>
 *
 * <p><b>Closing</b> unmaps the segment (and, for its creator, unlinks it). A thread still using
 * the ring afterwards gets {@link IllegalStateException} from its next access, never a crash.
 * {@link #close()} is idempotent.
 */
public final class SharedRing implements AutoCloseable {
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;

    private final DescribedSegment segment;
    private final Ring ring;

    private SharedRing(DescribedSegment segment, Ring ring) {
        this.segment = segment;
        this.ring = ring;
    }

    /**
     * Creates a segment holding an empty {@link OneToOneRing}.
     *
     * @param name     segment name (see {@link io.ipc4j.shm.SegmentName})
     * @param capacity data-area bytes, a power of two (see {@link RingBufferLayout#checkCapacity})
     * @return the ready ring segment; this process owns it
     * @throws IpcException INVALID_ARGUMENT, ALREADY_EXISTS, NO_SPACE, INVALID_NAME, ...
     */
    public static SharedRing createOneToOne(String name, int capacity) {
        return create(name, RingType.ONE_TO_ONE, capacity, CreateOptions.defaults());
    }

    /**
     * Creates a segment holding an empty {@link ManyToOneRing}.
     *
     * @param name     segment name (see {@link io.ipc4j.shm.SegmentName})
     * @param capacity data-area bytes, a power of two (see {@link RingBufferLayout#checkCapacity})
     * @return the ready ring segment; this process owns it
     * @throws IpcException INVALID_ARGUMENT, ALREADY_EXISTS, NO_SPACE, INVALID_NAME, ...
     */
    public static SharedRing createManyToOne(String name, int capacity) {
        return create(name, RingType.MANY_TO_ONE, capacity, CreateOptions.defaults());
    }

    /**
     * Creates a segment holding an empty ring.
     *
     * @param name     segment name
     * @param type     which ring
     * @param capacity data-area bytes, a power of two
     * @param options  directory, mode, persistence (the payload version is always
     *                 {@link SharedRingLayout#PAYLOAD_VERSION})
     * @return the ready ring segment; this process owns it
     * @throws IpcException INVALID_ARGUMENT, ALREADY_EXISTS, NO_SPACE, INVALID_NAME, ...
     */
    public static SharedRing create(String name, RingType type, int capacity, CreateOptions options) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(options, "options");
        long payloadBytes = SharedRingLayout.payloadBytes(capacity);   // checks the capacity first
        DescribedSegment seg = DescribedSegment.create(name, SegmentKind.RING, payloadBytes,
                options.payloadVersion(SharedRingLayout.PAYLOAD_VERSION), payload -> {
                    payload.set(INT, SharedRingLayout.TYPE_OFFSET, type.code());
                    payload.set(INT, SharedRingLayout.CAPACITY_OFFSET, capacity);
                    payload.set(LONG, SharedRingLayout.RING_BYTES_OFFSET, RingBufferLayout.requiredBytes(capacity));
                    if (type == RingType.ONE_TO_ONE) {
                        OneToOneRing.initialize(payload, SharedRingLayout.HEADER_LENGTH, capacity);
                    } else {
                        ManyToOneRing.initialize(payload, SharedRingLayout.HEADER_LENGTH, capacity);
                    }
                });
        try {
            return new SharedRing(seg, attach(seg.payload(), type, capacity, "create ring '" + name + "'"));
        } catch (RuntimeException e) {
            seg.close();
            throw e;
        }
    }

    /**
     * Opens a ring segment in the default directory.
     *
     * @param name         segment name
     * @param readyTimeout how long to wait for its creator to finish initialising it
     * @return the opened ring segment
     * @throws IpcException NOT_FOUND, WRONG_MAGIC, WRONG_KIND, NOT_READY, CREATOR_DEAD, and
     *                      VERSION_MISMATCH / CORRUPT for a ring header or trailer this library cannot use
     */
    public static SharedRing open(String name, Duration readyTimeout) {
        return open(ShmDirectory.defaultDirectory(), name, readyTimeout);
    }

    /**
     * Opens a ring segment, checking the descriptor header, the payload version, the ring header
     * and the ring's trailer.
     *
     * @param directory    where
     * @param name         segment name
     * @param readyTimeout how long to wait for its creator to finish initialising it
     * @return the opened ring segment
     * @throws IpcException as {@link #open(String, Duration)}
     */
    public static SharedRing open(ShmDirectory directory, String name, Duration readyTimeout) {
        DescribedSegment seg = DescribedSegment.open(directory, name, SegmentKind.RING, readyTimeout, false);
        try {
            String what = "open ring '" + name + "'";
            int version = seg.header().payloadVersion();
            if (version != SharedRingLayout.PAYLOAD_VERSION) {
                throw new IpcException(Reason.VERSION_MISMATCH, what + ": ring payload version " + version
                        + ", this library reads version " + SharedRingLayout.PAYLOAD_VERSION);
            }
            MemorySegment payload = seg.payload();
            if (payload.byteSize() < SharedRingLayout.HEADER_LENGTH) {
                throw new IpcException(Reason.CORRUPT, what + ": payload of " + payload.byteSize()
                        + " bytes is smaller than the " + SharedRingLayout.HEADER_LENGTH + "-byte ring header");
            }
            int code = payload.get(INT, SharedRingLayout.TYPE_OFFSET);
            RingType type = RingType.fromCode(code).orElseThrow(() ->
                    new IpcException(Reason.CORRUPT, what + ": unknown ring type code " + code));
            int capacity = payload.get(INT, SharedRingLayout.CAPACITY_OFFSET);
            if (!RingBufferLayout.isValidCapacity(capacity)) {
                throw new IpcException(Reason.CORRUPT, what + ": capacity " + capacity + " is not a power of two between "
                        + RingBufferLayout.MIN_CAPACITY + " and " + RingBufferLayout.MAX_CAPACITY);
            }
            long ringBytes = payload.get(LONG, SharedRingLayout.RING_BYTES_OFFSET);
            if (ringBytes != RingBufferLayout.requiredBytes(capacity)) {
                throw new IpcException(Reason.CORRUPT, what + ": header says the ring takes " + ringBytes
                        + " bytes, a ring of capacity " + capacity + " takes " + RingBufferLayout.requiredBytes(capacity));
            }
            if (payload.byteSize() < SharedRingLayout.payloadBytes(capacity)) {
                throw new IpcException(Reason.CORRUPT, what + ": payload of " + payload.byteSize() + " bytes cannot hold a ring"
                        + " of capacity " + capacity + " (" + SharedRingLayout.payloadBytes(capacity) + " bytes)");
            }
            return new SharedRing(seg, attach(payload, type, capacity, what));
        } catch (RuntimeException e) {
            seg.close();
            throw e;
        }
    }

    private static Ring attach(MemorySegment payload, RingType type, int capacity, String what) {
        try {
            return type == RingType.ONE_TO_ONE
                    ? OneToOneRing.wrap(payload, SharedRingLayout.HEADER_LENGTH, capacity)
                    : ManyToOneRing.wrap(payload, SharedRingLayout.HEADER_LENGTH, capacity);
        } catch (IpcException e) {
            throw new IpcException(e.reason(), what + ": " + e.getMessage(), e);
        }
    }

    /** @return which ring this segment holds */
    public RingType type() {
        return ring.type();
    }

    /** @return data-area bytes of the ring */
    public int capacity() {
        return ring.capacity();
    }

    /** @return the ring, whichever type it is */
    public Ring ring() {
        return ring;
    }

    /**
     * @return the ring as a one-to-one ring
     * @throws IpcException WRONG_KIND when it is a many-to-one ring
     */
    public OneToOneRing oneToOne() {
        if (ring instanceof OneToOneRing r) {
            return r;
        }
        throw new IpcException(Reason.WRONG_KIND, "ring '" + name() + "' is " + ring.type() + ", not ONE_TO_ONE");
    }

    /**
     * @return the ring as a many-to-one ring
     * @throws IpcException WRONG_KIND when it is a one-to-one ring
     */
    public ManyToOneRing manyToOne() {
        if (ring instanceof ManyToOneRing r) {
            return r;
        }
        throw new IpcException(Reason.WRONG_KIND, "ring '" + name() + "' is " + ring.type() + ", not MANY_TO_ONE");
    }

    /** @return the segment name */
    public String name() {
        return segment.name();
    }

    /** @return the underlying described segment */
    public DescribedSegment segment() {
        return segment;
    }

    /**
     * Unmaps the segment; its creator also unlinks it (unless created persistent). Threads still
     * using the ring get {@link IllegalStateException}. Idempotent.
     */
    @Override
    public void close() {
        segment.close();
    }

    @Override
    public String toString() {
        return "SharedRing[" + name() + ", " + ring.type() + ", capacity " + ring.capacity() + "]";
    }
}

package io.ipc4j.shm.header;

import java.util.Locale;
import java.util.Optional;

/**
 * What a described segment holds. The {@link #code()} is stored in the descriptor header
 * ({@link DescriptorHeader#KIND_OFFSET}); codes are never reused or renumbered, new kinds get new
 * codes. The {@link #label()} is what listings ({@code ipc4j shm ls}) show.
 */
public enum SegmentKind {
    /** A segment whose payload layout only its users know. */
    GENERIC(1),
    /** A ring buffer carrying descriptors between processes. */
    RING(2),
    /** Process-shared events, semaphores or futex words. */
    EVENTS(3),
    /** Counters and heartbeats (monitoring, liveness). */
    COUNTERS(4),
    /** A slab of fixed-size blocks loaned out to writers. */
    SLAB(5),
    /** The control block of a worker pool (supervisor and workers). */
    POOL(6);

    private final int code;

    SegmentKind(int code) {
        this.code = code;
    }

    /** @return the number stored in the header for this kind */
    public int code() {
        return code;
    }

    /** @return the lower-case name used in listings, e.g. {@code "ring"} */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param code a number read from a header
     * @return the kind with that code, or empty when this library does not know it
     */
    public static Optional<SegmentKind> fromCode(int code) {
        for (SegmentKind k : values()) {
            if (k.code == code) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    /**
     * @param code a number read from a header
     * @return the kind's {@link #label()}, or {@code "kind#CODE"} for a code this library does not know
     */
    public static String labelOf(int code) {
        return fromCode(code).map(SegmentKind::label).orElse("kind#" + code);
    }
}

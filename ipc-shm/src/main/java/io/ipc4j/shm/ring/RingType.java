package io.ipc4j.shm.ring;

import java.util.Optional;

/** Which producers a ring admits; stored as {@link #code()} in a {@link SharedRing}'s header. */
public enum RingType {
    /** One producer thread, one consumer thread: {@link OneToOneRing}. */
    ONE_TO_ONE(1),
    /** Any number of producers in any processes, one consumer thread: {@link ManyToOneRing}. */
    MANY_TO_ONE(2);

    private final int code;

    RingType(int code) {
        this.code = code;
    }

    /** @return the number stored in shared memory for this type (never renumbered) */
    public int code() {
        return code;
    }

    /**
     * @param code a number read from shared memory
     * @return the type with that code, or empty when there is none
     */
    public static Optional<RingType> fromCode(int code) {
        for (RingType t : values()) {
            if (t.code == code) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}

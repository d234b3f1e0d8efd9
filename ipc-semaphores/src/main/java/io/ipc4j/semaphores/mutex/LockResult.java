package io.ipc4j.semaphores.mutex;

/** How a {@link ProcessMutex} lock attempt ended. */
public enum LockResult {
    /** The lock is held by the caller. */
    ACQUIRED,
    /**
     * The lock is held by the caller, taken over from a process that died holding it: the state it
     * protects may be half-updated and should be checked or repaired (the robust-mutex
     * {@code EOWNERDEAD} outcome).
     */
    OWNER_DIED,
    /** The lock was not acquired in time. */
    TIMED_OUT
}

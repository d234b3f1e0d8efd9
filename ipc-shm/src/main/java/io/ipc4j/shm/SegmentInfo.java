package io.ipc4j.shm;

/**
 * What {@link SegmentProbe}s learned about one file in a shared-memory directory.
 *
 * @param fileName     the file's name in the directory
 * @param kind         what it is: {@code "tensor-store"}, {@code "temporary"}, a descriptor-header kind
 *                     such as {@code "ring"}, or {@code "foreign"} for files ipc4j did not make
 * @param size         bytes
 * @param creatorPid   pid of the process that created it, or -1 when unknown
 * @param creatorAlive whether that process still runs (pid and start time match); null when unknown
 * @param persistent   true when it is meant to outlive its creator (never garbage-collected)
 * @param detail       a short human-readable description (tensor count, layout version, a problem)
 */
public record SegmentInfo(String fileName, String kind, long size, long creatorPid, Boolean creatorAlive,
                          boolean persistent, String detail) {
    /** Kind of a file written under a temporary name that was never published. */
    public static final String TEMPORARY = "temporary";
    /** Kind of a file ipc4j does not recognise (left alone by garbage collection). */
    public static final String FOREIGN = "foreign";

    /**
     * @return true when garbage collection may remove it: its ipc4j creator is known to be dead and
     * it is either a temporary name or a non-persistent segment
     */
    public boolean isLeftover() {
        return Boolean.FALSE.equals(creatorAlive) && !persistent && !FOREIGN.equals(kind);
    }
}

package io.ipc4j.shm;

import java.lang.foreign.MemorySegment;
import java.util.Optional;

/**
 * Recognises one kind of segment when listing a shared-memory directory. Probes see the file
 * mapped read-only and must treat every byte as hostile: a malformed file yields an info whose
 * {@code detail} says what is wrong, never an exception or a crash.
 */
@FunctionalInterface
public interface SegmentProbe {
    /**
     * @param fileName the file's name
     * @param memory   its bytes, mapped read-only (its whole size)
     * @return what it is, or empty when this probe does not recognise it
     */
    Optional<SegmentInfo> probe(String fileName, MemorySegment memory);
}

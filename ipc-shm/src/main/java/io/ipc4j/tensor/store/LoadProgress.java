package io.ipc4j.tensor.store;

/**
 * Told how far {@link TensorStore#load(java.nio.file.Path, String, LoadOptions)} has copied, once per
 * chunk (and once at the end). Runs on the loading thread; an exception thrown here aborts the load
 * and removes the unpublished segment.
 */
@FunctionalInterface
public interface LoadProgress {
    /** Reports nothing. */
    LoadProgress NONE = (done, total) -> { };

    /**
     * @param bytesDone  data bytes copied so far
     * @param totalBytes data bytes to copy in all
     */
    void progress(long bytesDone, long totalBytes);
}

package io.ipc4j.tensor.store;

import io.ipc4j.shm.SharedSegment;
import io.ipc4j.shm.ShmDirectory;

import java.util.Objects;

/**
 * How {@link TensorStore#load(java.nio.file.Path, String, LoadOptions)} loads a file.
 *
 * <pre>{@code
 * LoadOptions opts = LoadOptions.defaults().withPersistent(true).withProgress((done, total) -> ...);
 * }</pre>
 *
 * @param directory  the shared-memory directory to create the store in
 * @param mode       permission bits of the new segment
 * @param persistent leave the store in place when the loader closes it (lifetime {@code persistent})
 * @param progress   told the bytes copied after every chunk
 * @param limits     bounds for parsing the file's header
 * @param chunkBytes bytes copied between progress reports (at least 1 MiB)
 */
public record LoadOptions(ShmDirectory directory, int mode, boolean persistent, LoadProgress progress,
                          HeaderLimits limits, long chunkBytes) {
    /** The default chunk: 64 MiB. */
    public static final long DEFAULT_CHUNK_BYTES = 64L << 20;

    /**
     * @param directory  where
     * @param mode       permission bits
     * @param persistent outlive the loader
     * @param progress   progress callback
     * @param limits     header bounds
     * @param chunkBytes chunk size, at least 1 MiB
     */
    public LoadOptions {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(limits, "limits");
        if (chunkBytes < (1 << 20)) {
            throw new IllegalArgumentException("chunkBytes must be at least 1 MiB: " + chunkBytes);
        }
    }

    /** @return the default directory, mode 0600, owned (not persistent), no progress, default limits, 64 MiB chunks */
    public static LoadOptions defaults() {
        return new LoadOptions(ShmDirectory.defaultDirectory(), SharedSegment.DEFAULT_MODE, false, LoadProgress.NONE,
                HeaderLimits.DEFAULT, DEFAULT_CHUNK_BYTES);
    }

    /**
     * @param d the directory
     * @return a copy with it
     */
    public LoadOptions withDirectory(ShmDirectory d) {
        return new LoadOptions(d, mode, persistent, progress, limits, chunkBytes);
    }

    /**
     * @param m permission bits
     * @return a copy with them
     */
    public LoadOptions withMode(int m) {
        return new LoadOptions(directory, m, persistent, progress, limits, chunkBytes);
    }

    /**
     * @param p whether the store outlives the loader
     * @return a copy with it
     */
    public LoadOptions withPersistent(boolean p) {
        return new LoadOptions(directory, mode, p, progress, limits, chunkBytes);
    }

    /**
     * @param p the progress callback
     * @return a copy with it
     */
    public LoadOptions withProgress(LoadProgress p) {
        return new LoadOptions(directory, mode, persistent, p, limits, chunkBytes);
    }

    /**
     * @param l header bounds
     * @return a copy with them
     */
    public LoadOptions withLimits(HeaderLimits l) {
        return new LoadOptions(directory, mode, persistent, progress, l, chunkBytes);
    }

    /**
     * @param c chunk bytes
     * @return a copy with it
     */
    public LoadOptions withChunkBytes(long c) {
        return new LoadOptions(directory, mode, persistent, progress, limits, c);
    }
}

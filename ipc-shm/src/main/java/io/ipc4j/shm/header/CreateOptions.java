package io.ipc4j.shm.header;

import io.ipc4j.IpcException;
import io.ipc4j.shm.SharedSegment;
import io.ipc4j.shm.ShmDirectory;

import java.util.Objects;

/**
 * How {@link DescribedSegment#create} makes a segment. Immutable; start from {@link #defaults()}
 * and change what you need:
 *
 * <pre>{@code
 * CreateOptions o = CreateOptions.defaults().persistent(true).mode(0640);
 * }</pre>
 *
 * @param directory      where the segment lives ({@link ShmDirectory#defaultDirectory()} by default)
 * @param mode           permission bits ({@link SharedSegment#DEFAULT_MODE}, 0600, by default)
 * @param persistent     true to keep the segment after its creator exits (and from garbage collection)
 * @param payloadVersion the kind-defined payload layout version stored in the header (0 by default)
 */
public record CreateOptions(ShmDirectory directory, int mode, boolean persistent, int payloadVersion) {
    /**
     * @param directory      where the segment lives
     * @param mode           permission bits, within {@code 0777}
     * @param persistent     keep after the creator exits
     * @param payloadVersion kind-defined payload layout version
     */
    public CreateOptions {
        Objects.requireNonNull(directory, "directory");
        if ((mode & ~0777) != 0) {
            throw new IpcException(IpcException.Reason.INVALID_ARGUMENT,
                    "segment mode must be within 0777, was 0" + Integer.toOctalString(mode));
        }
    }

    /** @return the default directory, mode 0600, not persistent, payload version 0 */
    public static CreateOptions defaults() {
        return new CreateOptions(ShmDirectory.defaultDirectory(), SharedSegment.DEFAULT_MODE, false, 0);
    }

    /**
     * @param dir where the segment lives
     * @return a copy with that directory
     */
    public CreateOptions directory(ShmDirectory dir) {
        return new CreateOptions(dir, mode, persistent, payloadVersion);
    }

    /**
     * @param bits permission bits
     * @return a copy with that mode
     */
    public CreateOptions mode(int bits) {
        return new CreateOptions(directory, bits, persistent, payloadVersion);
    }

    /**
     * @param keep true to keep the segment after its creator exits
     * @return a copy with that setting
     */
    public CreateOptions persistent(boolean keep) {
        return new CreateOptions(directory, mode, keep, payloadVersion);
    }

    /**
     * @param version the kind-defined payload layout version
     * @return a copy with that version
     */
    public CreateOptions payloadVersion(int version) {
        return new CreateOptions(directory, mode, persistent, version);
    }
}

package io.ipc4j;

import java.util.Objects;

/**
 * The one unchecked exception family of ipc4j, thrown by setup paths (create, open, map,
 * parse, spawn). It carries a {@link Reason} a program can switch on and, when the operating
 * system reported the failure, the {@code errno} ({@link #errno()}, 0 otherwise).
 *
 * <p>Messages are written for people: they say what was being done, to what, and why it
 * failed, e.g. {@code "open segment 'weights': wrong magic 0x1234 (expected 0x49504334...)"}.
 */
public class IpcException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why an operation failed. */
    public enum Reason {
        /** An argument is out of range, misaligned or otherwise unusable. */
        INVALID_ARGUMENT,
        /** A segment, FIFO or socket name breaks the naming rules. */
        INVALID_NAME,
        /** The named object does not exist. */
        NOT_FOUND,
        /** An object with that name already exists. */
        ALREADY_EXISTS,
        /** The OS denied access (EACCES, EPERM) or a write was attempted on a read-only view. */
        PERMISSION_DENIED,
        /** Not enough space in the file system (tmpfs full or too small for the request). */
        NO_SPACE,
        /** The bytes are not what they claim to be: wrong magic number. */
        WRONG_MAGIC,
        /** The layout version of a segment is not one this library understands. */
        VERSION_MISMATCH,
        /** The segment is of another kind than the one asked for. */
        WRONG_KIND,
        /** A segment's ready word was not set in time: its creator has not finished writing. */
        NOT_READY,
        /** The process that created a segment is gone. */
        CREATOR_DEAD,
        /** Structurally invalid content: bad header, bad offsets, bad JSON, unknown dtype. */
        CORRUPT,
        /** A file or segment is shorter than its header says. */
        TRUNCATED,
        /** The object was closed. */
        CLOSED,
        /** A wait ran out of time. */
        TIMEOUT,
        /** A frame or value is larger than the configured maximum. */
        TOO_LARGE,
        /** The peer process or channel went away. */
        PEER_CLOSED,
        /** The operation is not supported here (platform, file system or dtype). */
        UNSUPPORTED,
        /** Any other failure reported by the OS; see {@link #errno()}. */
        OS_ERROR,
        /** Work handed to another process failed there (a worker pool job's handler threw, or kept killing workers). */
        JOB_FAILED
    }

    private final Reason reason;
    private final int errno;

    /**
     * Creates an exception without an errno.
     *
     * @param reason  why it failed
     * @param message what was being done and what was wrong
     */
    public IpcException(Reason reason, String message) {
        this(reason, message, 0, null);
    }

    /**
     * Creates an exception with a cause and no errno.
     *
     * @param reason  why it failed
     * @param message what was being done and what was wrong
     * @param cause   the underlying failure
     */
    public IpcException(Reason reason, String message, Throwable cause) {
        this(reason, message, 0, cause);
    }

    /**
     * Creates an exception.
     *
     * @param reason  why it failed
     * @param message what was being done and what was wrong
     * @param errno   the OS error number, or 0
     * @param cause   the underlying failure, or null
     */
    public IpcException(Reason reason, String message, int errno, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.errno = errno;
    }

    /** @return why the operation failed */
    public Reason reason() {
        return reason;
    }

    /** @return the OS error number behind the failure, or 0 when the OS reported none */
    public int errno() {
        return errno;
    }
}

package io.ipc4j.posix;

import io.ipc4j.IpcException;

/**
 * A libc call failed: names the call, the errno's symbolic name and libc's text, and what the
 * call was applied to, e.g. {@code "shm_open(/weights): EEXIST (File exists)"}.
 */
public class PosixException extends IpcException {
    private static final long serialVersionUID = 1L;

    private final String call;

    /**
     * @param call   the libc function that failed
     * @param errno  the errno it left
     * @param detail what it was applied to (a name, a size), or null
     */
    public PosixException(String call, int errno, String detail) {
        super(reasonFor(errno), call + (detail == null ? "" : "(" + detail + ")") + ": "
                + Errno.name(errno) + " (" + Errno.describe(errno) + ")", errno, null);
        this.call = call;
    }

    /** @return the libc function that failed */
    public String call() {
        return call;
    }

    /** @return the symbolic name of {@link #errno()} */
    public String errnoName() {
        return Errno.name(errno());
    }

    /**
     * @param errno an errno value
     * @return the ipc4j reason that best describes it
     */
    public static Reason reasonFor(int errno) {
        return switch (errno) {
            case Errno.ENOENT -> Reason.NOT_FOUND;
            case Errno.EEXIST -> Reason.ALREADY_EXISTS;
            case Errno.EACCES, Errno.EPERM, Errno.EROFS -> Reason.PERMISSION_DENIED;
            case Errno.ENOSPC, Errno.EFBIG, Errno.ENOMEM -> Reason.NO_SPACE;
            case Errno.ETIMEDOUT -> Reason.TIMEOUT;
            case Errno.EINVAL, Errno.ENAMETOOLONG, Errno.ELOOP, Errno.EBADF -> Reason.INVALID_ARGUMENT;
            case Errno.EOPNOTSUPP, Errno.ENOSYS, Errno.ENODEV -> Reason.UNSUPPORTED;
            case Errno.EPIPE, Errno.ECONNRESET, Errno.ENOTCONN, Errno.ECONNREFUSED -> Reason.PEER_CLOSED;
            default -> Reason.OS_ERROR;
        };
    }
}

package io.ipc4j.posix;

import io.ipc4j.posix.internal.Arch;

/** {@code open(2)} / {@code shm_open(3)} flags for this architecture. */
public final class OpenFlags {
    /** Open for reading only. */
    public static final int O_RDONLY = 0;
    /** Open for writing only. */
    public static final int O_WRONLY = 1;
    /** Open for reading and writing. */
    public static final int O_RDWR = 2;
    /** Create if missing. */
    public static final int O_CREAT = 0100;
    /** With O_CREAT: fail if it exists. */
    public static final int O_EXCL = 0200;
    /** Truncate to zero length. */
    public static final int O_TRUNC = 01000;
    /** Non-blocking open (FIFOs: do not wait for the peer). */
    public static final int O_NONBLOCK = 04000;
    /** Close on exec. */
    public static final int O_CLOEXEC = 02000000;
    /** Fail with ELOOP if the last component is a symbolic link. */
    public static final int O_NOFOLLOW = Arch.O_NOFOLLOW;
    /** Fail unless it is a directory. */
    public static final int O_DIRECTORY = Arch.O_DIRECTORY;

    private OpenFlags() {
    }
}

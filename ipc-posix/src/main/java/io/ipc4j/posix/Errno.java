package io.ipc4j.posix;

import io.ipc4j.posix.internal.Native;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Map;

/** Linux errno values used by ipc4j, with their symbolic names and libc's text. */
public final class Errno {
    /** Operation not permitted. */ public static final int EPERM = 1;
    /** No such file or directory. */ public static final int ENOENT = 2;
    /** No such process. */ public static final int ESRCH = 3;
    /** Interrupted system call. */ public static final int EINTR = 4;
    /** I/O error. */ public static final int EIO = 5;
    /** No such device or address (a FIFO opened for writing with O_NONBLOCK has no reader). */ public static final int ENXIO = 6;
    /** Bad file descriptor. */ public static final int EBADF = 9;
    /** Try again / would block. */ public static final int EAGAIN = 11;
    /** Out of memory. */ public static final int ENOMEM = 12;
    /** Permission denied. */ public static final int EACCES = 13;
    /** Bad address. */ public static final int EFAULT = 14;
    /** Device or resource busy. */ public static final int EBUSY = 16;
    /** File exists. */ public static final int EEXIST = 17;
    /** No such device. */ public static final int ENODEV = 19;
    /** Not a directory. */ public static final int ENOTDIR = 20;
    /** Is a directory. */ public static final int EISDIR = 21;
    /** Invalid argument. */ public static final int EINVAL = 22;
    /** Too many open files in system. */ public static final int ENFILE = 23;
    /** Too many open files. */ public static final int EMFILE = 24;
    /** File too large. */ public static final int EFBIG = 27;
    /** No space left on device. */ public static final int ENOSPC = 28;
    /** Illegal seek. */ public static final int ESPIPE = 29;
    /** Read-only file system. */ public static final int EROFS = 30;
    /** Broken pipe. */ public static final int EPIPE = 32;
    /** Result out of range. */ public static final int ERANGE = 34;
    /** Resource deadlock would occur. */ public static final int EDEADLK = 35;
    /** File name too long. */ public static final int ENAMETOOLONG = 36;
    /** Function not implemented. */ public static final int ENOSYS = 38;
    /** Too many symbolic links (O_NOFOLLOW on a link). */ public static final int ELOOP = 40;
    /** Message too long. */ public static final int EMSGSIZE = 90;
    /** Operation not supported. */ public static final int EOPNOTSUPP = 95;
    /** Address already in use. */ public static final int EADDRINUSE = 98;
    /** Software caused connection abort (a pending connection died before accept). */ public static final int ECONNABORTED = 103;
    /** Connection reset by peer. */ public static final int ECONNRESET = 104;
    /** Transport endpoint is already connected. */ public static final int EISCONN = 106;
    /** Transport endpoint is not connected. */ public static final int ENOTCONN = 107;
    /** Connection timed out / timer expired. */ public static final int ETIMEDOUT = 110;
    /** Connection refused. */ public static final int ECONNREFUSED = 111;
    /** Owner died (robust mutex). */ public static final int EOWNERDEAD = 130;
    /** State not recoverable. */ public static final int ENOTRECOVERABLE = 131;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(EPERM, "EPERM"), Map.entry(ENOENT, "ENOENT"), Map.entry(ESRCH, "ESRCH"),
            Map.entry(EINTR, "EINTR"), Map.entry(EIO, "EIO"), Map.entry(ENXIO, "ENXIO"), Map.entry(EBADF, "EBADF"),
            Map.entry(EAGAIN, "EAGAIN"), Map.entry(ENOMEM, "ENOMEM"), Map.entry(EACCES, "EACCES"),
            Map.entry(EFAULT, "EFAULT"), Map.entry(EBUSY, "EBUSY"), Map.entry(EEXIST, "EEXIST"),
            Map.entry(ENODEV, "ENODEV"), Map.entry(ENOTDIR, "ENOTDIR"), Map.entry(EISDIR, "EISDIR"),
            Map.entry(EINVAL, "EINVAL"), Map.entry(ENFILE, "ENFILE"), Map.entry(EMFILE, "EMFILE"),
            Map.entry(EFBIG, "EFBIG"), Map.entry(ENOSPC, "ENOSPC"), Map.entry(ESPIPE, "ESPIPE"),
            Map.entry(EROFS, "EROFS"), Map.entry(EPIPE, "EPIPE"), Map.entry(ERANGE, "ERANGE"),
            Map.entry(EDEADLK, "EDEADLK"), Map.entry(ENAMETOOLONG, "ENAMETOOLONG"),
            Map.entry(ENOSYS, "ENOSYS"), Map.entry(ELOOP, "ELOOP"), Map.entry(EMSGSIZE, "EMSGSIZE"),
            Map.entry(EOPNOTSUPP, "EOPNOTSUPP"), Map.entry(EADDRINUSE, "EADDRINUSE"),
            Map.entry(ECONNABORTED, "ECONNABORTED"), Map.entry(ECONNRESET, "ECONNRESET"),
            Map.entry(EISCONN, "EISCONN"), Map.entry(ENOTCONN, "ENOTCONN"),
            Map.entry(ETIMEDOUT, "ETIMEDOUT"), Map.entry(ECONNREFUSED, "ECONNREFUSED"),
            Map.entry(EOWNERDEAD, "EOWNERDEAD"), Map.entry(ENOTRECOVERABLE, "ENOTRECOVERABLE"));

    // One lazy holder per downcall handle: a handle is linked on first use, not when this class
    // initialises, and stays a static final constant for the JIT.
    private static final class Strerror {
        static final MethodHandle H = Native.handle("strerror", FunctionDescriptor.of(Native.C_POINTER, Native.C_INT));
    }

    private Errno() {
    }

    /**
     * @param errno an error number
     * @return its symbolic name, e.g. {@code "ENOSPC"}, or {@code "errno 123"} when unknown here
     */
    public static String name(int errno) {
        String n = NAMES.get(errno);
        return n != null ? n : "errno " + errno;
    }

    /**
     * @param errno an error number
     * @return libc's description ({@code strerror}), e.g. {@code "No space left on device"}
     */
    public static String describe(int errno) {
        try {
            MemorySegment p = (MemorySegment) Strerror.H.invokeExact(errno);
            if (p.equals(MemorySegment.NULL)) {
                return name(errno);
            }
            return p.reinterpret(1024).getString(0);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}

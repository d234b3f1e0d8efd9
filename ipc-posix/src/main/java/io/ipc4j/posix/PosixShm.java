package io.ipc4j.posix;

import io.ipc4j.posix.internal.Native;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static io.ipc4j.posix.internal.Native.C_INT;
import static io.ipc4j.posix.internal.Native.C_POINTER;

/**
 * POSIX shared memory: {@code shm_open}, {@code shm_unlink} (objects under {@code /dev/shm}) and
 * Linux {@code memfd_create} (anonymous shared memory that vanishes with its last holder).
 * Names here are raw POSIX names starting with {@code /}; validation is ipc-shm's job.
 */
public final class PosixShm {
    /** {@code memfd_create} flag: close on exec. */
    public static final int MFD_CLOEXEC = 1;
    /** {@code memfd_create} flag: allow {@code F_ADD_SEALS}. */
    public static final int MFD_ALLOW_SEALING = 2;
    /** Seal: no more seals may be added. */
    public static final int F_SEAL_SEAL = 0x1;
    /** Seal: the file may not shrink (no SIGBUS for holders of a mapping). */
    public static final int F_SEAL_SHRINK = 0x2;
    /** Seal: the file may not grow. */
    public static final int F_SEAL_GROW = 0x4;
    /** Seal: no writes at all (fails with EBUSY while a writable shared mapping exists). */
    public static final int F_SEAL_WRITE = 0x8;
    /** Seal: no new writes or writable mappings; existing writable mappings keep working (Linux 5.1). */
    public static final int F_SEAL_FUTURE_WRITE = 0x10;
    private static final int F_ADD_SEALS = 1033;
    private static final int F_GET_SEALS = 1034;

    // One lazy holder per downcall handle: a handle is linked on first use, not when this class
    // initialises, and stays a static final constant for the JIT.
    private static final class ShmOpen {
        static final MethodHandle H = Native.errnoHandle("shm_open", FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT));
    }
    private static final class ShmUnlink {
        static final MethodHandle H = Native.errnoHandle("shm_unlink", FunctionDescriptor.of(C_INT, C_POINTER));
    }
    private static final class MemfdCreate {
        static final MethodHandle H = Native.errnoHandle("memfd_create", FunctionDescriptor.of(C_INT, C_POINTER, C_INT));
    }

    private PosixShm() {
    }

    /**
     * {@code shm_open(name, flags, mode)}.
     *
     * @param name  POSIX name, e.g. {@code "/weights"}
     * @param flags {@link OpenFlags} (e.g. {@code O_RDWR|O_CREAT|O_EXCL|O_NOFOLLOW})
     * @param mode  permission bits used when creating (e.g. 0600)
     * @return the file descriptor
     */
    public static int shmOpen(String name, int flags, int mode) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = Native.errnoBuffer();
            MemorySegment n = a.allocateFrom(name);
            while (true) {
                int fd = (int) ShmOpen.H.invokeExact(err, n, flags, mode);
                if (fd >= 0) {
                    return fd;
                }
                int e = Native.errno(err);
                if (e != Errno.EINTR) {
                    throw new PosixException("shm_open", e, name);
                }
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code shm_unlink(name)}.
     *
     * @param name POSIX name, e.g. {@code "/weights"}
     */
    public static void shmUnlink(String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = Native.errnoBuffer();
            int r = (int) ShmUnlink.H.invokeExact(err, a.allocateFrom(name));
            if (r != 0) {
                throw new PosixException("shm_unlink", Native.errno(err), name);
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code memfd_create(name, flags)}.
     *
     * @param name  a label shown in {@code /proc/PID/fd} (not a file name)
     * @param flags {@link #MFD_CLOEXEC}, {@link #MFD_ALLOW_SEALING}
     * @return the file descriptor
     */
    public static int memfdCreate(String name, int flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = Native.errnoBuffer();
            int fd = (int) MemfdCreate.H.invokeExact(err, a.allocateFrom(name), flags);
            if (fd < 0) {
                throw new PosixException("memfd_create", Native.errno(err), name);
            }
            return fd;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code fcntl(fd, F_ADD_SEALS, seals)} on a memfd created with {@link #MFD_ALLOW_SEALING}.
     *
     * @param fd    the memfd
     * @param seals {@code F_SEAL_} constants ored together
     */
    public static void addSeals(int fd, int seals) {
        PosixIo.fcntlOrThrow(fd, F_ADD_SEALS, seals, "F_ADD_SEALS 0x" + Integer.toHexString(seals));
    }

    /**
     * {@code fcntl(fd, F_GET_SEALS)}.
     *
     * @param fd a descriptor
     * @return its seals ({@code F_SEAL_} bits); 0 for a memfd without seals; {@link #F_SEAL_SEAL}
     *         alone for a memfd created without {@link #MFD_ALLOW_SEALING} or a tmpfs file; -1 when the file does
     *         not support sealing at all (EINVAL: not shmem/hugetlbfs)
     */
    public static int getSeals(int fd) {
        int r = PosixIo.fcntl(fd, F_GET_SEALS, 0);
        if (r == -Errno.EINVAL) {
            return -1;
        }
        if (r < 0) {
            throw new PosixException("fcntl", -r, "fd " + fd + ", F_GET_SEALS");
        }
        return r;
    }
}

package io.ipc4j.posix;

import io.ipc4j.posix.internal.Native;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static io.ipc4j.posix.internal.Native.C_INT;
import static io.ipc4j.posix.internal.Native.C_LONG;

/** Process calls: {@code getpid}, {@code getppid}, {@code kill}, {@code prctl}. */
public final class PosixProcess {
    /** Signal 0: checks that a process exists without signalling it. */
    public static final int SIG_EXISTS = 0;
    /** SIGKILL. */
    public static final int SIGKILL = 9;
    /** SIGTERM. */
    public static final int SIGTERM = 15;
    /** {@code prctl} option: signal this process gets when its parent thread exits. */
    public static final int PR_SET_PDEATHSIG = 1;

    // One lazy holder per downcall handle: a handle is linked on first use, not when this class
    // initialises, and stays a static final constant for the JIT.
    private static final class Getpid {
        static final MethodHandle H = Native.handle("getpid", FunctionDescriptor.of(C_INT));
    }
    private static final class Getppid {
        static final MethodHandle H = Native.handle("getppid", FunctionDescriptor.of(C_INT));
    }
    private static final class Gettid {
        static final MethodHandle H = Native.handle("gettid", FunctionDescriptor.of(C_INT));
    }
    private static final class Kill {
        static final MethodHandle H = Native.errnoHandle("kill", FunctionDescriptor.of(C_INT, C_INT, C_INT));
    }
    private static final class Prctl {
        static final MethodHandle H = Native.errnoHandle("prctl", FunctionDescriptor.of(C_INT, C_INT, C_LONG, C_LONG, C_LONG, C_LONG), Linker.Option.firstVariadicArg(1));
    }

    private PosixProcess() {
    }

    /** @return this process's id */
    public static int getpid() {
        try {
            return (int) Getpid.H.invokeExact();
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** @return the kernel thread id of the calling (carrier) thread */
    public static int gettid() {
        try {
            return (int) Gettid.H.invokeExact();
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** @return the parent's process id (1 or a subreaper once the parent died) */
    public static int getppid() {
        try {
            return (int) Getppid.H.invokeExact();
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code kill(pid, signal)}.
     *
     * @param pid    target process
     * @param signal signal number ({@link #SIG_EXISTS} to probe)
     * @return true when delivered, false when no such process (ESRCH)
     */
    public static boolean kill(int pid, int signal) {
        try {
            MemorySegment err = Native.errnoBuffer();
            int r = (int) Kill.H.invokeExact(err, pid, signal);
            if (r == 0) {
                return true;
            }
            int e = Native.errno(err);
            if (e == Errno.ESRCH) {
                return false;
            }
            throw new PosixException("kill", e, "pid " + pid + ", signal " + signal);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code prctl(option, arg2, 0, 0, 0)}.
     *
     * @param option a {@code PR_} option
     * @param arg2   its argument
     * @return prctl's result
     */
    public static int prctl(int option, long arg2) {
        try {
            MemorySegment err = Native.errnoBuffer();
            int r = (int) Prctl.H.invokeExact(err, option, arg2, 0L, 0L, 0L);
            if (r < 0) {
                throw new PosixException("prctl", Native.errno(err), "option " + option);
            }
            return r;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * Asks the kernel to send {@code signal} to this process when the thread that spawned it
     * exits ({@code PR_SET_PDEATHSIG}). Check {@link #getppid()} afterwards: the parent may have
     * died before the call.
     *
     * @param signal e.g. {@link #SIGKILL}
     */
    public static void setParentDeathSignal(int signal) {
        prctl(PR_SET_PDEATHSIG, signal);
    }
}

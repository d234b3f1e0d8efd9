/**
 * libc bindings through {@code java.lang.foreign}: shared memory and memfd ({@link io.ipc4j.posix.PosixShm}),
 * file descriptors ({@link io.ipc4j.posix.PosixFiles}), mappings ({@link io.ipc4j.posix.PosixMemory}),
 * futexes ({@link io.ipc4j.posix.Futex}), named semaphores ({@link io.ipc4j.posix.PosixSemaphores}),
 * processes ({@link io.ipc4j.posix.PosixProcess}), byte I/O, {@code fcntl} and {@code poll} on any
 * descriptor ({@link io.ipc4j.posix.PosixIo}, with the blocking {@link io.ipc4j.posix.FdByteChannel}
 * over it) and Unix domain sockets with descriptor passing and peer credentials
 * ({@link io.ipc4j.posix.PosixSockets}, addressed by {@link io.ipc4j.posix.UnixAddress}).
 * Each libc function is bound in exactly one class.
 *
 * <p>Every binding captures errno ({@code Linker.Option.captureCallState}) and turns a failure
 * into a {@link io.ipc4j.posix.PosixException} naming the call, the errno name and its text.
 * Downcall handles are created once per class and reused; the errno buffer is per thread, so
 * calls do not allocate (string arguments aside).
 */
package io.ipc4j.posix;

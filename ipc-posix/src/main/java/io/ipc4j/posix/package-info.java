/**
 * libc bindings through {@code java.lang.foreign}: shared memory and memfd ({@link io.ipc4j.posix.PosixShm}),
 * file descriptors ({@link io.ipc4j.posix.PosixFiles}), mappings ({@link io.ipc4j.posix.PosixMemory}),
 * futexes ({@link io.ipc4j.posix.Futex}), named semaphores ({@link io.ipc4j.posix.PosixSemaphores})
 * and processes ({@link io.ipc4j.posix.PosixProcess}).
 *
 * <p>Every binding captures errno ({@code Linker.Option.captureCallState}) and turns a failure
 * into a {@link io.ipc4j.posix.PosixException} naming the call, the errno name and its text.
 * Downcall handles are created once per class and reused; the errno buffer is per thread, so
 * calls do not allocate (string arguments aside).
 */
package io.ipc4j.posix;

/**
 * Futex-based primitives that live at an offset in a shared segment and work across processes:
 * {@link io.ipc4j.semaphores.futex.FutexEvent} (an eventcount / doorbell) and
 * {@link io.ipc4j.semaphores.futex.FutexSemaphore} (a counting semaphore).
 *
 * <p>Both keep a waiter count next to their word, so the signalling side pays one atomic
 * instruction and no system call when nobody sleeps. Waits sleep in the kernel in slices
 * ({@link io.ipc4j.semaphores.futex.WaitSlices}) so {@link java.lang.Thread#interrupt()} is noticed
 * within one slice.
 */
package io.ipc4j.semaphores.futex;

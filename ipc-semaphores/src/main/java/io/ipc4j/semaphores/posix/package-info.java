/**
 * {@link io.ipc4j.semaphores.posix.PosixNamedSemaphore}: POSIX named semaphores
 * ({@code /dev/shm/sem.NAME}) for interoperating with C programs and Python ({@code posix_ipc},
 * ctypes) that use {@code sem_open}.
 */
package io.ipc4j.semaphores.posix;

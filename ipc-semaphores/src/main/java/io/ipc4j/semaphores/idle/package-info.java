/**
 * Idle strategies (Agrona {@link org.agrona.concurrent.IdleStrategy}) that spin, then yield, then
 * sleep on a {@link io.ipc4j.semaphores.futex.FutexEvent} doorbell, so idle consumers cost no CPU
 * while a busy one pays no system call.
 */
package io.ipc4j.semaphores.idle;

/**
 * {@link io.ipc4j.semaphores.mutex.ProcessMutex}: a robust lock in shared memory. When the
 * process holding it dies, the next locker takes it over and is told so
 * ({@link io.ipc4j.semaphores.mutex.LockResult#OWNER_DIED}) so it can repair what the lock protects.
 */
package io.ipc4j.semaphores.mutex;

/**
 * Test support shared by ipc4j's shared-memory tests: {@link io.ipc4j.shm.testing.ShmLeakCheck}
 * (fails a test class that leaves files in {@code /dev/shm}), {@link io.ipc4j.shm.testing.TmpfsMount}
 * (a private small tmpfs), {@link io.ipc4j.shm.testing.ChildJvm} (a line-oriented child JVM with
 * bounded waits) and {@link io.ipc4j.shm.testing.DeadProcess} (the identity of a process that is gone).
 */
package io.ipc4j.shm.testing;

/**
 * A crash-safe slab allocator in shared memory: fixed-size, 64-byte aligned slots loaned to
 * registered processes by a lock-free claim on a per-slot state word, with generation-checked
 * handles and recovery of the slots a dead process held ({@link io.ipc4j.shm.slab.SharedSlab},
 * layout in {@link io.ipc4j.shm.slab.SlabLayout}).
 */
package io.ipc4j.shm.slab;

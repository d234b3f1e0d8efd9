/**
 * Lock-free ring buffers in shared memory: small messages (job descriptors, completions) passed
 * between threads or JVM processes without locks or system calls.
 *
 * <ul>
 *   <li>{@link io.ipc4j.shm.ring.OneToOneRing}: one producer thread (in any process), one consumer.</li>
 *   <li>{@link io.ipc4j.shm.ring.ManyToOneRing}: any number of producers in any processes, one
 *       consumer; {@link io.ipc4j.shm.ring.ManyToOneRing#unblock()} frees the ring from a slot a
 *       dead producer claimed and never committed.</li>
 *   <li>{@link io.ipc4j.shm.ring.SharedRing}: a named segment under {@code /dev/shm} holding one
 *       ring, with a descriptor header other processes check when they open it.</li>
 *   <li>{@link io.ipc4j.shm.ring.RingBufferLayout}: the bytes, offsets and capacity rules.</li>
 * </ul>
 *
 * <p>The rings work on {@link java.lang.foreign.MemorySegment}s through {@link java.lang.invoke.VarHandle}s,
 * never on raw addresses: unmapping a ring while another thread still uses it makes that thread's
 * next access throw {@link java.lang.IllegalStateException} instead of crashing the JVM. Their
 * layout is byte-compatible with Agrona's {@code OneToOneRingBuffer} and {@code ManyToOneRingBuffer}
 * (record header = length + type, 8-byte alignment, the same trailer), so either side can be
 * Agrona's.
 *
 * <p><b>Two tiers of errors.</b> Hot paths ({@code write}, {@code tryClaim}, {@code read}) report
 * a full ring as a status ({@code false} or {@link io.ipc4j.shm.ring.Ring#INSUFFICIENT_CAPACITY});
 * wrong arguments (a message type below 1, a length above the maximum) are programming errors and
 * throw {@link java.lang.IllegalArgumentException}; bytes no correct writer can produce throw
 * {@link io.ipc4j.IpcException} with reason {@code CORRUPT}. Hostile memory never makes a ring
 * loop forever or access outside its segment.
 */
package io.ipc4j.shm.ring;

/**
 * Named shared-memory segments: {@link io.ipc4j.shm.SharedSegment} (create, open, open
 * read-only, unlink), name rules ({@link io.ipc4j.shm.SegmentName}) and the directory that
 * holds them ({@link io.ipc4j.shm.ShmDirectory}, {@code /dev/shm} unless told otherwise), and the
 * inventory of such a directory ({@link io.ipc4j.shm.SegmentInventory}: list, probe, garbage-collect
 * what dead processes left behind). {@link io.ipc4j.shm.MemfdSegment} is the nameless kind:
 * {@code memfd_create} memory handed to other processes as a descriptor, gone with its last holder.
 *
 * <p>Ownership is explicit: the creator owns a segment and unlinks it on {@code close()} unless
 * it calls {@link io.ipc4j.shm.SharedSegment#persist()}; mappings live in an {@link java.lang.foreign.Arena}
 * closed by {@code close()}, never by the garbage collector.
 */
package io.ipc4j.shm;

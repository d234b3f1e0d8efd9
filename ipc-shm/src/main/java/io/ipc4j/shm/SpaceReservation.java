package io.ipc4j.shm;

/**
 * How a new segment's space is secured. A store through a mapping into a page the file system
 * cannot supply kills the process with SIGBUS, so by default every page is allocated up front.
 */
public enum SpaceReservation {
    /**
     * Check the free space, then allocate every page ({@code fallocate}): writes through the
     * mapping can never fault. The default.
     */
    RESERVE,
    /**
     * Check the free space and size the file, but allocate nothing. Only for writers that fill the
     * whole file through the kernel ({@code write}, {@code transferTo}) before anyone touches the
     * mapping: a full file system then fails that write with {@code ENOSPC}. Saves zero-filling the
     * pages that the copy overwrites anyway (about a third of a 1 GiB load).
     */
    KERNEL_WRITES_ONLY
}

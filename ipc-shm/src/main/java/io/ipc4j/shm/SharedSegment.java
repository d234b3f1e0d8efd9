package io.ipc4j.shm;

import io.ipc4j.IpcException;
import io.ipc4j.posix.Errno;
import io.ipc4j.posix.FileStat;
import io.ipc4j.posix.FsStat;
import io.ipc4j.posix.OpenFlags;
import io.ipc4j.posix.PosixException;
import io.ipc4j.posix.PosixFiles;
import io.ipc4j.posix.PosixMemory;
import io.ipc4j.posix.PosixShm;
import io.ipc4j.process.ProcessIdentity;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A named shared-memory segment mapped into this process as a {@link MemorySegment}.
 *
 * <pre>{@code
 * try (SharedSegment seg = SharedSegment.create("jobs", 1 << 20)) {      // owner: unlinks on close
 *     seg.memory().set(ValueLayout.JAVA_LONG, 0, 42L);
 * }
 * try (SharedSegment seg = SharedSegment.openReadOnly("weights")) {       // a reader
 *     float w = seg.memory().get(ValueLayout.JAVA_FLOAT, 64);
 * }
 * }</pre>
 *
 * <p><b>Ownership.</b> {@link #create} makes this process the owner: {@link #close()} unmaps
 * and unlinks the name, unless {@link #persist()} was called. {@link #open} and
 * {@link #openReadOnly} only map; {@code close()} only unmaps. {@code close()} is idempotent; after
 * it, {@link #memory()} accesses throw {@link IllegalStateException} (never a crash).
 *
 * <p><b>Space.</b> Creating checks the file system's free space ({@code fstatvfs}) and reserves
 * the whole size ({@code fallocate}), so a full {@code /dev/shm} fails here with
 * {@link IpcException.Reason#NO_SPACE} rather than with a SIGBUS on a later write.
 *
 * <p><b>Publishing.</b> {@link #createUnpublished} writes under a temporary name;
 * {@link #publish()} renames it to the final name atomically (never replacing an existing one),
 * so no reader sees a half-written segment. Closing an unpublished segment removes it.
 *
 * <p>Read-only segments are mapped {@code PROT_READ} and their {@code MemorySegment} is
 * read-only: a write throws in Java instead of faulting.
 */
public final class SharedSegment implements AutoCloseable {
    /** Default permission bits of created segments: owner read/write only. */
    public static final int DEFAULT_MODE = 0600;

    private final ShmDirectory directory;
    private final String finalName;
    private volatile String fileName;
    private final long size;
    private final boolean readOnly;
    private final Arena arena;
    private final MemorySegment memory;
    private volatile boolean owner;
    private volatile boolean published;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SharedSegment(ShmDirectory directory, String finalName, String fileName, long size, boolean readOnly,
                          Arena arena, MemorySegment memory, boolean owner, boolean published) {
        this.directory = directory;
        this.finalName = finalName;
        this.fileName = fileName;
        this.size = size;
        this.readOnly = readOnly;
        this.arena = arena;
        this.memory = memory;
        this.owner = owner;
        this.published = published;
    }

    /**
     * Creates a new segment of {@code size} bytes in {@code /dev/shm} with mode 0600, zero-filled.
     *
     * @param name segment name (see {@link SegmentName})
     * @param size bytes, &gt; 0
     * @return the owned, mapped segment
     * @throws IpcException ALREADY_EXISTS, NO_SPACE, INVALID_NAME, ...
     */
    public static SharedSegment create(String name, long size) {
        return create(ShmDirectory.defaultDirectory(), name, size, DEFAULT_MODE);
    }

    /**
     * Creates a new segment ({@code O_CREAT|O_EXCL|O_NOFOLLOW}), reserving its space first.
     *
     * @param directory where (usually {@link ShmDirectory#defaultDirectory()})
     * @param name      segment name
     * @param size      bytes, &gt; 0
     * @param mode      permission bits, e.g. {@link #DEFAULT_MODE}
     * @return the owned, mapped segment
     */
    public static SharedSegment create(ShmDirectory directory, String name, long size, int mode) {
        SegmentName.validate(name);
        return createFile(directory, name, name, size, mode, true, SpaceReservation.RESERVE);
    }

    /**
     * Creates a segment under a temporary name; {@link #publish()} gives it its final name.
     * If this process dies first, {@code ipc4j shm gc} removes the temporary name.
     *
     * @param directory where
     * @param name      the final name (must not exist when publishing)
     * @param size      bytes, &gt; 0
     * @param mode      permission bits
     * @return the owned, mapped, unpublished segment
     */
    public static SharedSegment createUnpublished(ShmDirectory directory, String name, long size, int mode) {
        return createUnpublished(directory, name, size, mode, SpaceReservation.RESERVE);
    }

    /**
     * Creates a segment under a temporary name, choosing how its space is secured.
     * {@link SpaceReservation#KERNEL_WRITES_ONLY} skips the zero-filling reservation for callers
     * that fill the whole file with {@code write}/{@code transferTo} before touching the mapping
     * (a full file system then fails that write with {@code ENOSPC}, never with SIGBUS).
     *
     * @param directory   where
     * @param name        the final name
     * @param size        bytes, &gt; 0
     * @param mode        permission bits
     * @param reservation how space is secured
     * @return the owned, mapped, unpublished segment
     */
    public static SharedSegment createUnpublished(ShmDirectory directory, String name, long size, int mode,
                                                  SpaceReservation reservation) {
        SegmentName.validate(name);
        ProcessIdentity me = ProcessIdentity.current();
        String temp = SegmentName.temporary(name, me.pid(), me.startTicks(), ThreadLocalRandom.current().nextLong());
        return createFile(directory, name, temp, size, mode, false, reservation);
    }

    private static SharedSegment createFile(ShmDirectory directory, String finalName, String fileName, long size,
                                            int mode, boolean published, SpaceReservation reservation) {
        if (size <= 0) {
            throw new IpcException(IpcException.Reason.INVALID_ARGUMENT,
                    "create segment '" + finalName + "': size must be > 0, was " + size);
        }
        int fd;
        try {
            fd = openFd(directory, fileName, OpenFlags.O_RDWR | OpenFlags.O_CREAT | OpenFlags.O_EXCL, mode);
        } catch (PosixException e) {
            throw wrap("create segment '" + finalName + "' in " + directory.path(), e);
        }
        Arena arena = null;
        try {
            reserve(fd, directory, finalName, size, reservation);
            arena = Arena.ofShared();
            MemorySegment mem = PosixMemory.mmap(fd, size, PosixMemory.PROT_READ | PosixMemory.PROT_WRITE,
                    PosixMemory.MAP_SHARED, 0, arena);
            return new SharedSegment(directory, finalName, fileName, size, false, arena, mem, true, published);
        } catch (RuntimeException e) {
            if (arena != null) {
                arena.close();
            }
            unlinkQuietly(directory, fileName);
            throw e instanceof PosixException pe ? wrap("create segment '" + finalName + "'", pe) : e;
        } finally {
            PosixFiles.close(fd);
        }
    }

    /**
     * Checks free space, then reserves {@code size} bytes so writes through the mapping cannot
     * hit a full file system later.
     */
    private static void reserve(int fd, ShmDirectory directory, String name, long size, SpaceReservation reservation) {
        FsStat fs = PosixFiles.fstatvfs(fd);
        if (fs.totalBytes() > 0 && fs.availableBytes() < size) {
            throw new IpcException(IpcException.Reason.NO_SPACE, "create segment '" + name + "': needs "
                    + Bytes.format(size) + " but " + directory.path() + " has only " + Bytes.format(fs.availableBytes())
                    + " free of " + Bytes.format(fs.totalBytes()), Errno.ENOSPC, null);
        }
        if (reservation == SpaceReservation.KERNEL_WRITES_ONLY) {
            PosixFiles.ftruncate(fd, size);
            return;
        }
        try {
            PosixFiles.fallocate(fd, 0, 0, size);
        } catch (PosixException e) {
            if (e.errno() == Errno.EOPNOTSUPP) {
                // a file system without fallocate (rare for memory file systems): size it only
                PosixFiles.ftruncate(fd, size);
                return;
            }
            if (e.errno() == Errno.ENOSPC || e.errno() == Errno.EFBIG) {
                throw new IpcException(IpcException.Reason.NO_SPACE, "create segment '" + name + "': cannot reserve "
                        + Bytes.format(size) + " in " + directory.path() + ": " + e.getMessage(), e.errno(), e);
            }
            throw e;
        }
    }

    /**
     * Opens an existing segment in {@code /dev/shm} for reading and writing.
     *
     * @param name segment name
     * @return the mapped segment (not owned)
     */
    public static SharedSegment open(String name) {
        return open(ShmDirectory.defaultDirectory(), name, false);
    }

    /**
     * Opens an existing segment in {@code /dev/shm} read-only: mapped {@code PROT_READ}, and its
     * {@link MemorySegment} rejects writes.
     *
     * @param name segment name
     * @return the mapped segment (not owned)
     */
    public static SharedSegment openReadOnly(String name) {
        return open(ShmDirectory.defaultDirectory(), name, true);
    }

    /**
     * Opens an existing segment.
     *
     * @param directory where
     * @param name      segment name
     * @param readOnly  map read-only
     * @return the mapped segment (not owned)
     */
    public static SharedSegment open(ShmDirectory directory, String name, boolean readOnly) {
        SegmentName.validate(name);
        return openFile(directory, name, readOnly);
    }

    private static SharedSegment openFile(ShmDirectory directory, String name, boolean readOnly) {
        int fd;
        try {
            fd = openFd(directory, name, readOnly ? OpenFlags.O_RDONLY : OpenFlags.O_RDWR, 0);
        } catch (PosixException e) {
            if (e.errno() == Errno.ENOENT) {
                throw new IpcException(IpcException.Reason.NOT_FOUND,
                        "segment '" + name + "' does not exist in " + directory.path(), e.errno(), e);
            }
            throw wrap("open segment '" + name + "'", e);
        }
        try {
            FileStat st = PosixFiles.fstat(fd);
            if (!st.isRegularFile()) {
                throw new IpcException(IpcException.Reason.INVALID_ARGUMENT,
                        "open segment '" + name + "': not a regular file (mode " + Integer.toOctalString(st.mode()) + ")");
            }
            if (st.size() == 0) {
                throw new IpcException(IpcException.Reason.NOT_READY,
                        "open segment '" + name + "': it is empty (0 bytes); its creator has not sized it");
            }
            Arena arena = Arena.ofShared();
            try {
                int prot = readOnly ? PosixMemory.PROT_READ : PosixMemory.PROT_READ | PosixMemory.PROT_WRITE;
                MemorySegment mem = PosixMemory.mmap(fd, st.size(), prot, PosixMemory.MAP_SHARED, 0, arena);
                return new SharedSegment(directory, name, name, st.size(), readOnly, arena, mem, false, true);
            } catch (RuntimeException e) {
                arena.close();
                throw e;
            }
        } catch (PosixException e) {
            throw wrap("open segment '" + name + "'", e);
        } finally {
            PosixFiles.close(fd);
        }
    }

    /**
     * Removes a segment's name from {@code /dev/shm} (mappings stay valid until unmapped).
     *
     * @param name segment name
     * @return true when removed, false when it did not exist
     */
    public static boolean unlink(String name) {
        return unlink(ShmDirectory.defaultDirectory(), name);
    }

    /**
     * Removes a segment's name.
     *
     * @param directory where
     * @param name      segment name
     * @return true when removed, false when it did not exist
     */
    public static boolean unlink(ShmDirectory directory, String name) {
        SegmentName.validate(name);
        return unlinkFile(directory, name);
    }

    /**
     * Removes a file in the directory by its exact file name, including temporary names
     * (garbage collection uses this). The name must not contain {@code /}.
     *
     * @param directory where
     * @param fileName  exact file name
     * @return true when removed, false when it did not exist
     */
    static boolean unlinkFile(ShmDirectory directory, String fileName) {
        if (fileName.indexOf('/') >= 0 || fileName.equals("..") || fileName.equals(".")) {
            throw new IpcException(IpcException.Reason.INVALID_NAME, "invalid segment file name '" + fileName + "'");
        }
        try {
            if (directory.isDevShm()) {
                PosixShm.shmUnlink("/" + fileName);
            } else {
                PosixFiles.unlink(directory.resolve(fileName).toString());
            }
            return true;
        } catch (PosixException e) {
            if (e.errno() == Errno.ENOENT) {
                return false;
            }
            throw wrap("unlink segment '" + fileName + "'", e);
        }
    }

    /**
     * @param name segment name
     * @return true when a segment of that name exists in {@code /dev/shm}
     */
    public static boolean exists(String name) {
        return exists(ShmDirectory.defaultDirectory(), name);
    }

    /**
     * @param directory where
     * @param name      segment name
     * @return true when a segment of that name exists
     */
    public static boolean exists(ShmDirectory directory, String name) {
        SegmentName.validate(name);
        return Files.exists(directory.resolve(name), java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }

    private static int openFd(ShmDirectory directory, String fileName, int flags, int mode) {
        int all = flags | OpenFlags.O_NOFOLLOW | OpenFlags.O_CLOEXEC;
        if (directory.isDevShm()) {
            return PosixShm.shmOpen("/" + fileName, all, mode);
        }
        return io.ipc4j.posix.PosixFiles.open(directory.resolve(fileName).toString(), all, mode);
    }

    private static void unlinkQuietly(ShmDirectory directory, String fileName) {
        try {
            unlinkFile(directory, fileName);
        } catch (RuntimeException ignored) {
            // best effort while failing for another reason
        }
    }

    private static IpcException wrap(String what, PosixException e) {
        return new IpcException(e.reason(), what + ": " + e.getMessage(), e.errno(), e);
    }

    /**
     * Gives an unpublished segment its final name, atomically and without replacing an existing
     * segment of that name. Does nothing when already published.
     *
     * @throws IpcException ALREADY_EXISTS when the final name is taken
     */
    public synchronized void publish() {
        checkOpen();
        if (published) {
            return;
        }
        String from = directory.resolve(fileName).toString();
        String to = directory.resolve(finalName).toString();
        try {
            PosixFiles.rename(from, to, PosixFiles.RENAME_NOREPLACE);
        } catch (PosixException e) {
            throw wrap("publish segment '" + finalName + "'", e);
        }
        fileName = finalName;
        published = true;
    }

    /**
     * Leaves the segment in place after {@link #close()}: ownership passes to whoever removes it
     * later ({@code ipc4j shm rm}). Only the owner may call this.
     *
     * @return this
     */
    public SharedSegment persist() {
        if (!owner) {
            throw new IpcException(IpcException.Reason.INVALID_ARGUMENT,
                    "segment '" + finalName + "': only its creator can persist it");
        }
        owner = false;
        return this;
    }

    /** @return the segment's (final) name */
    public String name() {
        return finalName;
    }

    /** @return the name of its file right now (a temporary name until published) */
    public String fileName() {
        return fileName;
    }

    /** @return the directory holding it */
    public ShmDirectory directory() {
        return directory;
    }

    /** @return its size in bytes */
    public long size() {
        return size;
    }

    /** @return true when mapped read-only */
    public boolean isReadOnly() {
        return readOnly;
    }

    /** @return true when this process will unlink it on close */
    public boolean isOwner() {
        return owner;
    }

    /** @return true once it carries its final name */
    public boolean isPublished() {
        return published;
    }

    /** @return true after {@link #close()} */
    public boolean isClosed() {
        return closed.get();
    }

    /**
     * The mapped memory. Valid until {@link #close()}; afterwards any access throws
     * {@link IllegalStateException}.
     *
     * @return the whole segment
     */
    public MemorySegment memory() {
        return memory;
    }

    /**
     * Gives the kernel advice about the whole mapping (see {@link PosixMemory}'s {@code MADV_}
     * constants), e.g. {@code MADV_POPULATE_READ} to fault every page in up front.
     *
     * @param advice an {@code MADV_} constant
     */
    public void advise(int advice) {
        checkOpen();
        PosixMemory.madvise(memory, advice);
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IpcException(IpcException.Reason.CLOSED, "segment '" + finalName + "' is closed");
        }
    }

    /**
     * Unmaps the segment; the owner (or an unpublished segment's writer) also unlinks it.
     * Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            arena.close();
        } finally {
            if (owner || !published) {
                unlinkQuietly(directory, fileName);
            }
        }
    }

    @Override
    public String toString() {
        return "SharedSegment[" + finalName + ", " + Bytes.format(size) + (readOnly ? ", read-only" : "")
                + (owner ? ", owner" : "") + (published ? "" : ", unpublished") + (closed.get() ? ", closed" : "") + "]";
    }
}

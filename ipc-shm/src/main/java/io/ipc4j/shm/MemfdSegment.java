package io.ipc4j.shm;

import io.ipc4j.IpcException;
import io.ipc4j.posix.Errno;
import io.ipc4j.posix.FileStat;
import io.ipc4j.posix.PosixException;
import io.ipc4j.posix.PosixFiles;
import io.ipc4j.posix.PosixMemory;
import io.ipc4j.posix.PosixShm;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Anonymous shared memory ({@code memfd_create}) mapped as a {@link MemorySegment}: it has no
 * name in any directory, nothing appears in {@code /dev/shm}, and the memory is freed when the
 * last descriptor and the last mapping of it are gone, even when every holder is killed with
 * SIGKILL. Other processes get it by receiving its descriptor over a Unix domain socket
 * (ipc-pipes' {@code io.ipc4j.pipes.fdpass}) or by inheriting it.
 *
 * <pre>{@code
 * // creator
 * try (MemfdSegment seg = MemfdSegment.create("weights", 64 << 20)) {
 *     seg.memory().set(ValueLayout.JAVA_INT, 0, 42);
 *     channel.send(header, seg.fd());                  // the receiver gets its own descriptor
 * }
 * // receiver: takes ownership of the received descriptor
 * try (MemfdSegment seg = MemfdSegment.fromFd(receivedFd, true)) {
 *     int v = seg.memory().get(ValueLayout.JAVA_INT, 0);
 * }
 * }</pre>
 *
 * <p><b>Seals.</b> {@link #create} seals the size ({@code F_SEAL_SHRINK | F_SEAL_GROW},
 * {@link #SIZE_SEALS}): nobody holding the descriptor can truncate the memory under another
 * process's mapping, which would kill that process with SIGBUS on its next access. This is the
 * practice of Wayland compositors and iceoryx2, and why {@link #fromFd(int, boolean)} refuses a
 * descriptor without these seals: a hostile or buggy sender could otherwise crash this JVM.
 * {@code F_SEAL_SEAL} is not set, so more seals can follow: {@link #sealFutureWrites()} makes all
 * later mappings read-only while this process's writable mapping keeps working
 * ({@code F_SEAL_FUTURE_WRITE}). The stronger {@code F_SEAL_WRITE} is not offered: the kernel
 * refuses it (EBUSY) while any writable shared mapping exists, and the creator always holds one.
 *
 * <p><b>Space.</b> A memfd lives on the kernel's internal shmem mount, which has no size limit of
 * its own ({@code fstatvfs} reports 0 bytes total), so {@code /dev/shm}'s free space says nothing
 * about it. What limits it is memory: {@link #create} checks the size against
 * {@code MemAvailable + SwapFree} from {@code /proc/meminfo} and against the remaining room in
 * this process's cgroup ({@code memory.max} in v2, {@code memory.limit_in_bytes} in v1, when
 * readable), then allocates every page with
 * {@code fallocate}, so writes through the mapping can never fault for want of memory.
 *
 * <p><b>Ownership.</b> A {@code MemfdSegment} owns one descriptor and one mapping;
 * {@link #close()} unmaps and closes both (idempotent). The memory itself lives on while other
 * processes hold a descriptor or mapping. {@link #fromFd} always takes ownership of the descriptor
 * it is given, also when it fails (it closes it then).
 */
public final class MemfdSegment implements AutoCloseable {
    /** The seals {@link #create} adds and {@link #fromFd(int, boolean)} requires: the size is fixed. */
    public static final int SIZE_SEALS = PosixShm.F_SEAL_SHRINK | PosixShm.F_SEAL_GROW;

    private final int fd;
    private final String label;
    private final long size;
    private final boolean readOnly;
    private final Arena arena;
    private final MemorySegment memory;
    private final AtomicBoolean closed = new AtomicBoolean();

    private MemfdSegment(int fd, String label, long size, boolean readOnly, Arena arena, MemorySegment memory) {
        this.fd = fd;
        this.label = label;
        this.size = size;
        this.readOnly = readOnly;
        this.arena = arena;
        this.memory = memory;
    }

    /**
     * Creates anonymous shared memory of {@code size} bytes (zero-filled, all pages allocated),
     * seals its size and maps it read-write. The descriptor is close-on-exec.
     *
     * @param label a name shown as {@code memfd:LABEL} in {@code /proc/PID/fd} and
     *              {@code /proc/PID/maps} (same rules as {@link SegmentName}); not unique, not a file
     * @param size  bytes, &gt; 0
     * @return the owned, mapped segment
     * @throws IpcException INVALID_NAME, INVALID_ARGUMENT, NO_SPACE (not enough memory), UNSUPPORTED
     */
    public static MemfdSegment create(String label, long size) {
        checkLabel(label);
        if (size <= 0) {
            throw new IpcException(IpcException.Reason.INVALID_ARGUMENT,
                    "create memfd '" + label + "': size must be > 0, was " + size);
        }
        checkMemory(label, size);
        int fd;
        try {
            fd = PosixShm.memfdCreate(label, PosixShm.MFD_CLOEXEC | PosixShm.MFD_ALLOW_SEALING);
        } catch (PosixException e) {
            throw wrap("create memfd '" + label + "'", e);
        }
        Arena arena = null;
        try {
            try {
                PosixFiles.fallocate(fd, 0, 0, size);
            } catch (PosixException e) {
                if (e.errno() == Errno.ENOSPC || e.errno() == Errno.ENOMEM || e.errno() == Errno.EFBIG) {
                    throw new IpcException(IpcException.Reason.NO_SPACE, "create memfd '" + label + "': cannot allocate "
                            + Bytes.format(size) + ": " + e.getMessage(), e.errno(), e);
                }
                throw e;
            }
            PosixShm.addSeals(fd, SIZE_SEALS);
            arena = Arena.ofShared();
            MemorySegment mem = PosixMemory.mmap(fd, size, PosixMemory.PROT_READ | PosixMemory.PROT_WRITE,
                    PosixMemory.MAP_SHARED, 0, arena);
            return new MemfdSegment(fd, label, size, false, arena, mem);
        } catch (RuntimeException e) {
            if (arena != null) {
                arena.close();
            }
            closeQuietly(fd);
            throw e instanceof PosixException pe ? wrap("create memfd '" + label + "'", pe) : e;
        }
    }

    /**
     * Maps a received descriptor, requiring the size seals ({@link #SIZE_SEALS}). Same as
     * {@code fromFd(fd, readOnly, true)}.
     *
     * @param fd       a memfd descriptor; ownership passes to the returned segment (closed on failure)
     * @param readOnly map {@code PROT_READ} with a read-only {@link MemorySegment}
     * @return the mapped segment
     */
    public static MemfdSegment fromFd(int fd, boolean readOnly) {
        return fromFd(fd, readOnly, true);
    }

    /**
     * Maps a descriptor received from another process (or inherited), taking ownership of it: the
     * segment keeps the descriptor open (for {@link #fd()}, e.g. to pass it on) and
     * {@link #close()} closes it; when this method throws, it has closed the descriptor already.
     * The size is the file's size ({@code fstat}).
     *
     * <p>With {@code requireSealed} false, a descriptor without size seals is accepted too (any
     * regular file can be mapped this way). Then whoever else holds it can shrink it, and an access
     * to the lost pages kills this JVM with SIGBUS: pass false only for descriptors from a trusted
     * process.
     *
     * @param fd            a descriptor; ownership passes to this method
     * @param readOnly      map {@code PROT_READ} with a read-only {@link MemorySegment}
     * @param requireSealed refuse a descriptor whose size is not sealed
     * @return the mapped segment
     * @throws IpcException INVALID_ARGUMENT (not a regular file, empty, not sealed when required),
     *                      PERMISSION_DENIED (a writable mapping of write-sealed memory)
     */
    public static MemfdSegment fromFd(int fd, boolean readOnly, boolean requireSealed) {
        if (fd < 0) {
            throw new IpcException(IpcException.Reason.INVALID_ARGUMENT, "map memfd: invalid descriptor " + fd);
        }
        String label = labelOf(fd);
        Arena arena = null;
        try {
            FileStat st = PosixFiles.fstat(fd);
            if (!st.isRegularFile()) {
                throw new IpcException(IpcException.Reason.INVALID_ARGUMENT, "map memfd fd " + fd + " (" + label
                        + "): not a regular file (mode " + Integer.toOctalString(st.mode()) + ")");
            }
            if (st.size() <= 0) {
                throw new IpcException(IpcException.Reason.INVALID_ARGUMENT, "map memfd fd " + fd + " (" + label
                        + "): it is empty (0 bytes)");
            }
            int seals = PosixShm.getSeals(fd);
            if (requireSealed && (seals < 0 || (seals & SIZE_SEALS) != SIZE_SEALS)) {
                throw new IpcException(IpcException.Reason.INVALID_ARGUMENT, "map memfd fd " + fd + " (" + label
                        + "): its size is not sealed (" + describeSeals(seals) + "); a holder could shrink it under "
                        + "the mapping and crash this process with SIGBUS. Create it with MemfdSegment.create, or pass "
                        + "requireSealed=false for a trusted sender");
            }
            if (!readOnly && seals > 0 && (seals & (PosixShm.F_SEAL_WRITE | PosixShm.F_SEAL_FUTURE_WRITE)) != 0) {
                throw new IpcException(IpcException.Reason.PERMISSION_DENIED, "map memfd fd " + fd + " (" + label
                        + ") writable: it is sealed against writes (" + describeSeals(seals) + "); map it read-only");
            }
            arena = Arena.ofShared();
            int prot = readOnly ? PosixMemory.PROT_READ : PosixMemory.PROT_READ | PosixMemory.PROT_WRITE;
            MemorySegment mem = PosixMemory.mmap(fd, st.size(), prot, PosixMemory.MAP_SHARED, 0, arena);
            return new MemfdSegment(fd, label, st.size(), readOnly, arena, mem);
        } catch (RuntimeException e) {
            if (arena != null) {
                arena.close();
            }
            closeQuietly(fd);
            throw e instanceof PosixException pe ? wrap("map memfd fd " + fd + " (" + label + ")", pe) : e;
        }
    }

    /**
     * Adds {@code F_SEAL_FUTURE_WRITE}: from now on nobody can write through the descriptor or map
     * it writable (receivers must use {@code readOnly = true}); mappings that exist already, such
     * as this creator's, stay writable. Use it to hand out weights that receivers must not change.
     */
    public void sealFutureWrites() {
        checkOpen();
        try {
            PosixShm.addSeals(fd, PosixShm.F_SEAL_FUTURE_WRITE);
        } catch (PosixException e) {
            throw wrap("seal memfd '" + label + "' against writes", e);
        }
    }

    /**
     * @return the seals now on the memory ({@code PosixShm.F_SEAL_*} bits), -1 when the file
     *         cannot be sealed at all (not a memfd)
     */
    public int seals() {
        checkOpen();
        return PosixShm.getSeals(fd);
    }

    /**
     * The descriptor, to pass to another process. It stays owned by this segment: do not close it;
     * a receiver gets its own duplicate.
     *
     * @return the open descriptor
     * @throws IpcException CLOSED after {@link #close()}
     */
    public int fd() {
        checkOpen();
        return fd;
    }

    /** @return the label given at creation (for a received descriptor: as the kernel shows it, or {@code "?"}) */
    public String label() {
        return label;
    }

    /** @return the size in bytes */
    public long size() {
        return size;
    }

    /** @return true when mapped read-only */
    public boolean isReadOnly() {
        return readOnly;
    }

    /** @return true after {@link #close()} */
    public boolean isClosed() {
        return closed.get();
    }

    /**
     * The mapped memory. Valid until {@link #close()}; afterwards any access throws
     * {@link IllegalStateException}. Read-only segments reject writes.
     *
     * @return the whole segment
     */
    public MemorySegment memory() {
        return memory;
    }

    /** Unmaps the memory and closes the descriptor. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            arena.close();
        } finally {
            closeQuietly(fd);
        }
    }

    @Override
    public String toString() {
        return "MemfdSegment[" + label + ", " + Bytes.format(size) + ", fd " + fd + (readOnly ? ", read-only" : "")
                + (closed.get() ? ", closed" : "") + "]";
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IpcException(IpcException.Reason.CLOSED, "memfd '" + label + "' is closed");
        }
    }

    private static void checkLabel(String label) {
        if (label == null || !SegmentName.isValid(label)) {
            throw new IpcException(IpcException.Reason.INVALID_NAME, "memfd label '" + label + "' must be 1 to "
                    + SegmentName.MAX_LENGTH + " characters from [A-Za-z0-9._-], not '.' or '..'");
        }
    }

    /** Refuses sizes the machine (or this cgroup) cannot back with memory. */
    private static void checkMemory(String label, long size) {
        OptionalLong system = meminfoAvailable();
        OptionalLong cgroup = cgroupAvailable();
        if (system.isPresent() && size > system.getAsLong()) {
            throw new IpcException(IpcException.Reason.NO_SPACE, "create memfd '" + label + "': needs "
                    + Bytes.format(size) + " of memory but only " + Bytes.format(system.getAsLong())
                    + " is available (MemAvailable + SwapFree in /proc/meminfo)", Errno.ENOMEM, null);
        }
        if (cgroup.isPresent() && size > cgroup.getAsLong()) {
            throw new IpcException(IpcException.Reason.NO_SPACE, "create memfd '" + label + "': needs "
                    + Bytes.format(size) + " of memory but this process's cgroup has only "
                    + Bytes.format(cgroup.getAsLong()) + " left under its memory.max", Errno.ENOMEM, null);
        }
    }

    private static OptionalLong meminfoAvailable() {
        try {
            long available = -1;
            long swapFree = 0;
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    available = kib(line);
                } else if (line.startsWith("SwapFree:")) {
                    swapFree = kib(line);
                }
            }
            return available < 0 ? OptionalLong.empty() : OptionalLong.of(available + swapFree);
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    private static long kib(String meminfoLine) {
        String[] parts = meminfoLine.trim().split("\\s+");
        return Long.parseLong(parts[1]) * 1024L;
    }

    private static OptionalLong cgroupAvailable() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
                if (line.startsWith("0::")) { // cgroup v2 (unified): memory.max / memory.current
                    Path dir = Path.of("/sys/fs/cgroup" + line.substring(3));
                    if (Files.exists(dir.resolve("memory.max"))) {
                        return room(dir.resolve("memory.max"), dir.resolve("memory.current"));
                    }
                } else if (line.matches("\\d+:memory:.*")) { // cgroup v1 memory controller
                    Path dir = Path.of("/sys/fs/cgroup/memory" + line.substring(line.indexOf(":memory:") + 8));
                    return room(dir.resolve("memory.limit_in_bytes"), dir.resolve("memory.usage_in_bytes"));
                }
            }
            return OptionalLong.empty();
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    private static OptionalLong room(Path limitFile, Path usageFile) throws IOException {
        String max = Files.readString(limitFile).trim();
        if (max.equals("max")) {
            return OptionalLong.empty();
        }
        long limit = Long.parseLong(max);
        if (limit >= (1L << 62)) { // v1 "unlimited" (LONG_MAX rounded down to a page)
            return OptionalLong.empty();
        }
        long usage = Long.parseLong(Files.readString(usageFile).trim());
        return OptionalLong.of(Math.max(0, limit - usage));
    }

    /** {@code /proc/self/fd/N -> "/memfd:LABEL (deleted)"}: the label, or {@code "?"}. */
    private static String labelOf(int fd) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            if (target.startsWith("/memfd:")) {
                String rest = target.substring("/memfd:".length());
                return rest.endsWith(" (deleted)") ? rest.substring(0, rest.length() - " (deleted)".length()) : rest;
            }
            return target;
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private static String describeSeals(int seals) {
        if (seals < 0) {
            return "the file does not support seals: not a memfd";
        }
        if (seals == 0) {
            return "no seals";
        }
        StringBuilder b = new StringBuilder("seals:");
        if ((seals & PosixShm.F_SEAL_SEAL) != 0) {
            b.append(" SEAL");
        }
        if ((seals & PosixShm.F_SEAL_SHRINK) != 0) {
            b.append(" SHRINK");
        }
        if ((seals & PosixShm.F_SEAL_GROW) != 0) {
            b.append(" GROW");
        }
        if ((seals & PosixShm.F_SEAL_WRITE) != 0) {
            b.append(" WRITE");
        }
        if ((seals & PosixShm.F_SEAL_FUTURE_WRITE) != 0) {
            b.append(" FUTURE_WRITE");
        }
        return b.toString();
    }

    private static void closeQuietly(int fd) {
        try {
            PosixFiles.close(fd);
        } catch (RuntimeException ignored) {
            // nothing more to do with it
        }
    }

    private static IpcException wrap(String what, PosixException e) {
        return new IpcException(e.reason(), what + ": " + e.getMessage(), e.errno(), e);
    }
}

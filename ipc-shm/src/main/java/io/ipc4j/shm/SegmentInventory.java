package io.ipc4j.shm;

import io.ipc4j.IpcException;
import io.ipc4j.posix.Errno;
import io.ipc4j.posix.FileStat;
import io.ipc4j.posix.OpenFlags;
import io.ipc4j.posix.PosixException;
import io.ipc4j.posix.PosixFiles;
import io.ipc4j.posix.PosixMemory;
import io.ipc4j.shm.header.DescriptorHeaderProbe;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Lists what a shared-memory directory holds and removes what crashed ipc4j processes left
 * behind.
 *
 * <pre>{@code
 * SegmentInventory inv = SegmentInventory.builder()
 *         .directory(ShmDirectory.defaultDirectory())
 *         .probe(new TensorStoreProbe())                 // extra probes run after the built-in ones
 *         .build();
 * inv.list().forEach(System.out::println);
 * List<SegmentInfo> removed = inv.gc();
 * }</pre>
 *
 * <p><b>Listing.</b> Every directory entry becomes one {@link SegmentInfo}. Regular files are
 * opened read-only ({@code O_NOFOLLOW|O_NONBLOCK}), mapped read-only with the size {@code fstat}
 * reports (0-byte files are not mapped; probes see a 0-byte segment) and shown to the probes in
 * order; the first that recognises the file wins, otherwise it is {@link SegmentInfo#FOREIGN}.
 * The built-in probes come first: {@link TemporaryNameProbe}, then {@link DescriptorHeaderProbe};
 * the builder's extra probes follow. Symbolic links, directories and special files are listed as
 * foreign and never followed or opened. A probe that throws makes the file foreign (its detail
 * says why), so a hostile file can neither stop a listing nor be collected. Files that vanish
 * while being listed are skipped.
 *
 * <p><b>Garbage collection</b> ({@link #gc()}) removes the entries whose info
 * {@link SegmentInfo#isLeftover() is a leftover}: a known ipc4j creator that is dead, not
 * persistent, not foreign. Right before unlinking, the directory entry's identity (device and
 * inode) must still be the file that was probed, so a segment re-created under the same name in
 * the meantime is left alone.
 *
 * <p>Instances are immutable and thread-safe. Probes must not keep the memory they are shown:
 * it is unmapped as soon as they return.
 */
public final class SegmentInventory {
    private final ShmDirectory directory;
    private final List<SegmentProbe> probes;

    private SegmentInventory(ShmDirectory directory, List<SegmentProbe> probes) {
        this.directory = directory;
        this.probes = List.copyOf(probes);
    }

    /**
     * An inventory of {@code directory} with the built-in probes only.
     *
     * @param directory the directory to list
     * @return the inventory
     */
    public static SegmentInventory of(ShmDirectory directory) {
        return builder().directory(directory).build();
    }

    /** @return a builder (default directory, built-in probes) */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the directory listed */
    public ShmDirectory directory() {
        return directory;
    }

    /** @return the probes, in the order they run */
    public List<SegmentProbe> probes() {
        return probes;
    }

    /**
     * Lists every entry of the directory.
     *
     * @return one info per entry, sorted by file name
     * @throws IpcException NOT_FOUND when the directory does not exist, OS_ERROR when it cannot be read
     */
    public List<SegmentInfo> list() {
        List<SegmentInfo> out = new ArrayList<>();
        for (String name : names()) {
            scan(name).ifPresent(e -> out.add(e.info()));
        }
        return out;
    }

    /**
     * Describes one entry.
     *
     * @param fileName the exact file name in the directory
     * @return its info, or empty when there is no such entry
     */
    public Optional<SegmentInfo> inspect(String fileName) {
        checkFileName(fileName);
        return scan(fileName).map(Entry::info);
    }

    /**
     * Removes leftovers of dead ipc4j processes: temporary names of crashed writers and
     * non-persistent described segments whose creator is gone. Never removes foreign files,
     * segments whose creator is alive or unknown, or persistent segments. Entries that vanish
     * concurrently, change identity, or cannot be removed (e.g. another user's file in a sticky
     * directory) are skipped and not reported.
     *
     * @return what was removed
     */
    public List<SegmentInfo> gc() {
        List<SegmentInfo> removed = new ArrayList<>();
        for (String name : names()) {
            Optional<Entry> e = scan(name);
            if (e.isEmpty() || !e.get().info().isLeftover() || e.get().fileKey() == null) {
                continue;
            }
            Object now = fileKeyNoFollow(directory.resolve(name));
            if (!e.get().fileKey().equals(now)) {
                continue; // gone, or replaced by another file since it was probed
            }
            try {
                if (SharedSegment.unlinkFile(directory, name)) {
                    removed.add(e.get().info());
                }
            } catch (IpcException ex) {
                // not ours to remove after all (EPERM/EACCES) or vanished: leave it
            }
        }
        return removed;
    }

    private List<String> names() {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(directory.path())) {
            for (Path p : ds) {
                names.add(p.getFileName().toString());
            }
        } catch (NoSuchFileException e) {
            throw new IpcException(IpcException.Reason.NOT_FOUND,
                    "list shared-memory directory " + directory.path() + ": it does not exist", e);
        } catch (IOException e) {
            throw new IpcException(IpcException.Reason.OS_ERROR,
                    "list shared-memory directory " + directory.path() + ": " + e, e);
        }
        names.sort(null);
        return names;
    }

    /** What was learned about one entry, plus the identity (dev, inode) of the file probed. */
    private record Entry(SegmentInfo info, Object fileKey) {
    }

    private Optional<Entry> scan(String name) {
        Path path = directory.resolve(name);
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(new Entry(foreign(name, 0, "cannot stat: " + e), null));
        }
        if (attrs.isSymbolicLink()) {
            return Optional.of(new Entry(foreign(name, attrs.size(), "symbolic link (not followed)"), null));
        }
        if (attrs.isDirectory()) {
            return Optional.of(new Entry(foreign(name, attrs.size(), "directory"), null));
        }
        if (!attrs.isRegularFile()) {
            return Optional.of(new Entry(foreign(name, attrs.size(), "special file (FIFO, socket or device)"), null));
        }
        int fd;
        try {
            fd = PosixFiles.open(path.toString(),
                    OpenFlags.O_RDONLY | OpenFlags.O_NOFOLLOW | OpenFlags.O_NONBLOCK | OpenFlags.O_CLOEXEC, 0);
        } catch (PosixException e) {
            if (e.errno() == Errno.ENOENT) {
                return Optional.empty();
            }
            return Optional.of(new Entry(foreign(name, attrs.size(), "cannot open: " + e.getMessage()), null));
        }
        try {
            FileStat st = PosixFiles.fstat(fd);
            if (!st.isRegularFile()) { // replaced by a link or special file since the stat above
                return Optional.of(new Entry(foreign(name, st.size(), "not a regular file"), null));
            }
            Object key = openedFileKey(fd);
            return Optional.of(new Entry(probe(name, fd, st.size()), key));
        } catch (PosixException e) {
            return Optional.of(new Entry(foreign(name, attrs.size(), "cannot read: " + e.getMessage()), null));
        } finally {
            PosixFiles.close(fd);
        }
    }

    private SegmentInfo probe(String name, int fd, long size) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment memory = size == 0 ? MemorySegment.NULL
                    : PosixMemory.mmap(fd, size, PosixMemory.PROT_READ, PosixMemory.MAP_SHARED, 0, arena);
            for (SegmentProbe p : probes) {
                Optional<SegmentInfo> info;
                try {
                    info = p.probe(name, memory);
                } catch (RuntimeException | InternalError e) {
                    // InternalError: a fault in a mapped access (file truncated under us)
                    return foreign(name, size, "probe " + p.getClass().getSimpleName() + " failed: " + e);
                }
                if (info != null && info.isPresent()) {
                    SegmentInfo i = info.get();
                    return i.fileName().equals(name) ? i
                            : new SegmentInfo(name, i.kind(), i.size(), i.creatorPid(), i.creatorAlive(),
                            i.persistent(), i.detail());
                }
            }
            return foreign(name, size, size == 0 ? "empty file" : "not made by ipc4j");
        } catch (PosixException e) {
            return foreign(name, size, "cannot map: " + e.getMessage());
        }
    }

    /** The (dev, inode) of an open descriptor: {@code /proc/self/fd/N} resolves to the file itself. */
    private static Object openedFileKey(int fd) {
        try {
            return Files.readAttributes(Path.of("/proc/self/fd/" + fd), BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    private static Object fileKeyNoFollow(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    private static SegmentInfo foreign(String name, long size, String detail) {
        return new SegmentInfo(name, SegmentInfo.FOREIGN, size, -1, null, false, detail);
    }

    private static void checkFileName(String fileName) {
        if (fileName == null || fileName.isEmpty() || fileName.indexOf('/') >= 0 || fileName.indexOf('\0') >= 0
                || fileName.equals(".") || fileName.equals("..")) {
            throw new IpcException(IpcException.Reason.INVALID_NAME, "invalid file name '" + fileName + "'");
        }
    }

    /** Configures a {@link SegmentInventory}. */
    public static final class Builder {
        private ShmDirectory directory = ShmDirectory.defaultDirectory();
        private final List<SegmentProbe> extra = new ArrayList<>();

        private Builder() {
        }

        /**
         * @param dir the directory to list (default: {@link ShmDirectory#defaultDirectory()})
         * @return this
         */
        public Builder directory(ShmDirectory dir) {
            this.directory = Objects.requireNonNull(dir, "directory");
            return this;
        }

        /**
         * Adds a probe that runs after the built-in ones and the probes added before it.
         *
         * @param probe e.g. the tensor-store probe
         * @return this
         */
        public Builder probe(SegmentProbe probe) {
            extra.add(Objects.requireNonNull(probe, "probe"));
            return this;
        }

        /** @return the inventory */
        public SegmentInventory build() {
            List<SegmentProbe> all = new ArrayList<>();
            all.add(new TemporaryNameProbe());
            all.add(new DescriptorHeaderProbe());
            all.addAll(extra);
            return new SegmentInventory(directory, all);
        }
    }
}

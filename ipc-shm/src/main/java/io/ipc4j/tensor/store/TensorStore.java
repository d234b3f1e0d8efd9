package io.ipc4j.tensor.store;

import io.ipc4j.IpcException;
import io.ipc4j.IpcException.Reason;
import io.ipc4j.process.ProcessIdentity;
import io.ipc4j.shm.SegmentName;
import io.ipc4j.shm.SharedSegment;
import io.ipc4j.shm.SpaceReservation;
import io.ipc4j.shm.ShmDirectory;
import io.ipc4j.tensor.DType;
import io.ipc4j.tensor.Tensor;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Named tensors in shared memory whose bytes are exactly a safetensors file (see the
 * {@linkplain io.ipc4j.tensor.store package} diagram), so Python, NumPy and any safetensors reader
 * can open the same segment.
 *
 * <pre>{@code
 * // build: allocate, fill, publish
 * try (TensorStore store = TensorStore.builder("weights")
 *         .add("w", DType.F32, 1024, 1024).add(biasTensor).metadata("model", "demo").create()) {
 *     fill(store.tensor("w").segment());
 *     store.publish();                                   // atomic rename: now readers see it
 *     ...
 * }                                                       // the owner unlinks it (unless persistent)
 *
 * // load a .safetensors file with a kernel copy, open it in a worker, or map a file directly
 * TensorStore loaded = TensorStore.load(Path.of("model.safetensors"), "model");
 * TensorStore worker = TensorStore.openReadOnly("model");  // parses the header only, no data page touched
 * TensorStore onDisk = TensorStore.mapFile(Path.of("model.safetensors"));
 * }</pre>
 *
 * <p><b>Layout.</b> Header padded with spaces so the data area starts at a multiple of 64; tensors
 * ordered by descending dtype size so each is naturally aligned; no gaps (readers require the data
 * area to be covered exactly). {@link #tensorNames()} lists tensors in data order.
 *
 * <p><b>Publishing.</b> Stores are written under a temporary name ({@link SharedSegment#createUnpublished})
 * and renamed to their final name by {@link #publish()} (never replacing an existing one). A writer
 * that dies first leaves only the temporary name.
 *
 * <p><b>Ownership.</b> The writer records {@value #META_CREATOR_PID}, {@value #META_CREATOR_START}
 * and {@value #META_LIFETIME} ({@value #LIFETIME_OWNER} or {@value #LIFETIME_PERSISTENT}) in
 * {@code __metadata__}; {@link TensorStoreProbe} reads them. The creating store unlinks the segment
 * on {@link #close()} unless it is persistent; stores from {@link #open}, {@link #openReadOnly} and
 * {@link #mapFile} only unmap. {@code close()} is idempotent; afterwards tensor accesses throw
 * {@link IllegalStateException}, never crash.
 *
 * <p><b>Read-only.</b> {@link #openReadOnly} and {@link #mapFile} map {@code PROT_READ}; their
 * tensors' segments are read-only and reject writes.
 */
public final class TensorStore implements AutoCloseable {
    /** Metadata key: pid of the process that wrote the store. */
    public static final String META_CREATOR_PID = "ipc4j.creator_pid";
    /** Metadata key: that process's start time in clock ticks (pid reuse is real). */
    public static final String META_CREATOR_START = "ipc4j.creator_start";
    /** Metadata key: {@value #LIFETIME_OWNER} or {@value #LIFETIME_PERSISTENT}. */
    public static final String META_LIFETIME = "ipc4j.lifetime";
    /** Lifetime: removed when its creator closes it or dies. */
    public static final String LIFETIME_OWNER = "owner";
    /** Lifetime: outlives its creator until removed explicitly. */
    public static final String LIFETIME_PERSISTENT = "persistent";
    /** Prefix of the metadata keys ipc4j reserves. */
    public static final String RESERVED_PREFIX = "ipc4j.";

    private static final long WRITE_CHUNK = 32L << 20;

    private final String name;
    private final SharedSegment shm;
    private final Arena fileArena;
    private final MemorySegment memory;
    private final SafetensorsHeader header;
    private final Map<String, Tensor> tensors;
    private final boolean persistent;
    private final AtomicBoolean closed = new AtomicBoolean();

    private TensorStore(String name, SharedSegment shm, Arena fileArena, MemorySegment memory,
                        SafetensorsHeader header, boolean persistent) {
        this.name = name;
        this.shm = shm;
        this.fileArena = fileArena;
        this.memory = memory;
        this.header = header;
        this.persistent = persistent;
        LinkedHashMap<String, Tensor> m = new LinkedHashMap<>();
        long base = header.dataOffset();
        for (SafetensorsHeader.Entry e : header.entries()) {
            m.put(e.name(), Tensor.of(e.name(), e.dtype(), e.shape(), memory.asSlice(base + e.begin(), e.byteSize())));
        }
        this.tensors = Collections.unmodifiableMap(m);
    }

    // ------------------------------------------------------------------------------------------
    // Creating

    /**
     * Starts building a store.
     *
     * @param name the store's (final) segment name
     * @return a builder
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * Loads a {@code .safetensors} file into a new store in {@code /dev/shm}, owned by this process.
     *
     * @param file the file
     * @param name the store's name
     * @return the published store
     * @see #load(Path, String, LoadOptions)
     */
    public static TensorStore load(Path file, String name) {
        return load(file, name, LoadOptions.defaults());
    }

    /**
     * Loads a {@code .safetensors} file into shared memory. The file's header is read and validated
     * first (nothing else is read to decide); a new header is written carrying the file's metadata
     * plus the {@code ipc4j.*} ownership keys, padded so the data starts 64-byte aligned; the data
     * area is copied by the kernel ({@link FileChannel#transferTo}) into the segment's file, never
     * through the mapping and never element by element; the copy's header is validated again from
     * shared memory; then the store is published.
     *
     * @param file    the file
     * @param name    the store's name
     * @param options directory, mode, lifetime, progress callback, header limits
     * @return the published store (unlinked on close unless {@code options.persistent()})
     * @throws IpcException NOT_FOUND (no file), ALREADY_EXISTS, NO_SPACE, CORRUPT, TRUNCATED,
     *                      TOO_LARGE or UNSUPPORTED (bad header), OS_ERROR (I/O)
     */
    public static TensorStore load(Path file, String name, LoadOptions options) {
        SegmentName.validate(name);
        Objects.requireNonNull(file, "file");
        String what = "load " + file + " into tensor store '" + name + "'";
        requireRegularFile(file, what);
        try (FileChannel src = FileChannel.open(file, StandardOpenOption.READ)) {
            SafetensorsHeader fh;
            try {
                fh = SafetensorsHeader.read(src, options.limits());
            } catch (IpcException e) {
                throw context(what, e);
            }
            Map<String, String> md = new LinkedHashMap<>();
            fh.metadata().forEach((k, v) -> {
                if (!k.startsWith(RESERVED_PREFIX)) {
                    md.put(k, v);
                }
            });
            md.putAll(ownership(options.persistent()));
            byte[] head = HeaderWriter.encode(fh.entries(), md);
            long total = head.length + fh.dataSize();
            checkAbsent(options.directory(), name, what);
            // Every byte goes in through the kernel before the mapping is read, so skip the
            // zero-filling reservation: a full tmpfs fails the write with ENOSPC, not with SIGBUS.
            SharedSegment seg = SharedSegment.createUnpublished(options.directory(), name, total, options.mode(),
                    SpaceReservation.KERNEL_WRITES_ONLY);
            try {
                try (FileChannel dst = openSegmentFile(seg)) {
                    writeFully(dst, ByteBuffer.wrap(head), 0);
                    copy(src, fh.dataOffset(), dst, head.length, fh.dataSize(), options, what);
                }
                if (src.size() != fh.fileSize()) {
                    throw new IpcException(Reason.CORRUPT, what + ": the file changed size while it was copied ("
                            + fh.fileSize() + " -> " + src.size() + " bytes)");
                }
                SafetensorsHeader copied = parseOwn(seg.memory(), options.limits(), what);
                if (!copied.entries().equals(fh.entries())) {
                    throw new IpcException(Reason.CORRUPT, what + ": the copy's header disagrees with the file's");
                }
                seg.publish();
                if (options.persistent()) {
                    seg.persist();
                }
                return new TensorStore(name, seg, null, seg.memory(), copied, options.persistent());
            } catch (Throwable t) {
                seg.close();
                throw t;
            }
        } catch (NoSuchFileException e) {
            throw new IpcException(Reason.NOT_FOUND, what + ": no such file", e);
        } catch (IOException e) {
            if (String.valueOf(e.getMessage()).contains("No space left")) {
                throw new IpcException(Reason.NO_SPACE, what + ": " + options.directory().path() + " is full: " + e.getMessage(), e);
            }
            throw new IpcException(Reason.OS_ERROR, what + ": " + e, e);
        }
    }

    /** Kernel-side copy in chunks, reporting progress after each. */
    private static void copy(FileChannel src, long srcPos, FileChannel dst, long dstPos, long count,
                             LoadOptions options, String what) throws IOException {
        long done = 0;
        dst.position(dstPos);
        while (done < count) {
            long chunk = Math.min(options.chunkBytes(), count - done);
            long chunkDone = 0;
            while (chunkDone < chunk) {
                long n = src.transferTo(srcPos + done + chunkDone, chunk - chunkDone, dst);
                if (n <= 0) {
                    throw new IpcException(Reason.TRUNCATED, what + ": the file ended after " + (done + chunkDone)
                            + " of " + count + " data bytes (it shrank while being copied)");
                }
                chunkDone += n;
            }
            done += chunkDone;
            options.progress().progress(done, count);
        }
        if (count == 0) {
            options.progress().progress(0, 0);
        }
    }

    /**
     * Opens a published store in {@code /dev/shm} for reading and writing. Only the header is read.
     *
     * @param name the store's name
     * @return the store (not owned: close only unmaps)
     * @throws IpcException NOT_FOUND, or a header error
     */
    public static TensorStore open(String name) {
        return open(ShmDirectory.defaultDirectory(), name, false, HeaderLimits.DEFAULT);
    }

    /**
     * Opens a published store in {@code /dev/shm} read-only ({@code PROT_READ}; tensors reject writes).
     * Only the header pages are touched, so opening costs the same for any size.
     *
     * @param name the store's name
     * @return the store (not owned)
     * @throws IpcException NOT_FOUND, or a header error
     */
    public static TensorStore openReadOnly(String name) {
        return open(ShmDirectory.defaultDirectory(), name, true, HeaderLimits.DEFAULT);
    }

    /**
     * Opens a published store.
     *
     * @param directory where
     * @param name      the store's name
     * @param readOnly  map read-only
     * @param limits    header bounds
     * @return the store (not owned)
     * @throws IpcException NOT_FOUND, CORRUPT, TRUNCATED, TOO_LARGE, UNSUPPORTED
     */
    public static TensorStore open(ShmDirectory directory, String name, boolean readOnly, HeaderLimits limits) {
        SharedSegment seg = SharedSegment.open(directory, name, readOnly);
        try {
            SafetensorsHeader h;
            try {
                h = SafetensorsHeader.parse(seg.memory(), limits);
            } catch (IpcException e) {
                throw context("open tensor store '" + name + "'", e);
            }
            return new TensorStore(name, seg, null, seg.memory(), h, false);
        } catch (Throwable t) {
            seg.close();
            throw t;
        }
    }

    /**
     * Maps an on-disk {@code .safetensors} file read-only, with no copy. The store's name is the
     * file name. (If another process truncates the file while it is mapped, reads of the lost
     * pages fail with an error from the JVM.)
     *
     * @param file the file
     * @return the store; closing it unmaps the file
     */
    public static TensorStore mapFile(Path file) {
        return mapFile(file, HeaderLimits.DEFAULT);
    }

    /**
     * Maps an on-disk {@code .safetensors} file read-only.
     *
     * @param file   the file
     * @param limits header bounds
     * @return the store
     * @throws IpcException NOT_FOUND, OS_ERROR, or a header error
     */
    public static TensorStore mapFile(Path file, HeaderLimits limits) {
        String what = "map " + file;
        requireRegularFile(file, what);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < SafetensorsHeader.LENGTH_FIELD_BYTES) {
                throw new IpcException(Reason.TRUNCATED, what + ": file is " + size
                        + " bytes, shorter than the 8-byte header-length field");
            }
            Arena arena = Arena.ofShared();
            try {
                MemorySegment mem = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
                SafetensorsHeader h;
                try {
                    h = SafetensorsHeader.parse(mem, limits);
                } catch (IpcException e) {
                    throw context(what, e);
                }
                Path fn = file.getFileName();
                return new TensorStore(fn == null ? file.toString() : fn.toString(), null, arena, mem, h, true);
            } catch (Throwable t) {
                arena.close();
                throw t;
            }
        } catch (NoSuchFileException e) {
            throw new IpcException(Reason.NOT_FOUND, what + ": no such file", e);
        } catch (IOException e) {
            throw new IpcException(Reason.OS_ERROR, what + ": " + e, e);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Helpers shared by the builder and load

    static Map<String, String> ownership(boolean persistent) {
        ProcessIdentity me = ProcessIdentity.current();
        Map<String, String> m = new LinkedHashMap<>();
        m.put(META_CREATOR_PID, Long.toString(me.pid()));
        m.put(META_CREATOR_START, Long.toString(me.startTicks()));
        m.put(META_LIFETIME, persistent ? LIFETIME_PERSISTENT : LIFETIME_OWNER);
        return m;
    }

    /** Refuses FIFOs, devices and directories up front (opening a FIFO would block). */
    private static void requireRegularFile(Path file, String what) {
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new IpcException(Reason.INVALID_ARGUMENT, what + ": not a regular file");
        }
    }

    private static void checkAbsent(ShmDirectory dir, String name, String what) {
        // an early, friendly check; publish()'s RENAME_NOREPLACE is the real guard
        if (SharedSegment.exists(dir, name)) {
            throw new IpcException(Reason.ALREADY_EXISTS, what + ": a segment named '" + name + "' already exists in "
                    + dir.path());
        }
    }

    private static FileChannel openSegmentFile(SharedSegment seg) throws IOException {
        // writing through the file rather than the fresh mapping: the kernel copies into the
        // (already reserved) tmpfs pages, with no page fault per 4 KiB in this process
        return FileChannel.open(seg.directory().resolve(seg.fileName()), StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long p = position;
        while (buf.hasRemaining()) {
            p += ch.write(buf, p);
        }
    }

    private static void writeSegment(FileChannel ch, MemorySegment src, long position) throws IOException {
        long size = src.byteSize();
        for (long off = 0; off < size; off += WRITE_CHUNK) {
            long n = Math.min(WRITE_CHUNK, size - off);
            writeFully(ch, src.asSlice(off, n).asByteBuffer(), position + off);
        }
    }

    private static SafetensorsHeader parseOwn(MemorySegment mem, HeaderLimits limits, String what) {
        try {
            return SafetensorsHeader.parse(mem, limits);
        } catch (IpcException e) {
            throw context(what + ": the written store fails validation", e);
        }
    }

    private static IpcException context(String what, IpcException e) {
        return new IpcException(e.reason(), what + ": " + e.getMessage(), e.errno(), e);
    }

    // ------------------------------------------------------------------------------------------
    // Using

    /**
     * Gives an unpublished store (from {@link Builder#create()}) its final name, atomically and
     * never replacing an existing segment. Does nothing when already published.
     *
     * @throws IpcException ALREADY_EXISTS when the name is taken, CLOSED after close
     */
    public void publish() {
        if (closed.get()) {
            throw new IpcException(Reason.CLOSED, "tensor store '" + name + "' is closed");
        }
        if (shm == null || shm.isPublished()) {
            return;
        }
        shm.publish();
        if (persistent) {
            shm.persist();
        }
    }

    /** @return true once the store carries its final name (always for opened and mapped stores) */
    public boolean isPublished() {
        return shm == null || shm.isPublished();
    }

    /** @return the store's name (for a mapped file: its file name) */
    public String name() {
        return name;
    }

    /** @return the current file name in the shared-memory directory (a temporary name until published), or the mapped file's name */
    public String fileName() {
        return shm == null ? name : shm.fileName();
    }

    /** @return the tensor names in data order */
    public List<String> tensorNames() {
        return List.copyOf(tensors.keySet());
    }

    /** @return the tensors in data order */
    public List<Tensor> tensors() {
        return new ArrayList<>(tensors.values());
    }

    /**
     * @param tensorName a tensor's name
     * @return true when the store holds it
     */
    public boolean contains(String tensorName) {
        return tensors.containsKey(tensorName);
    }

    /**
     * @param tensorName a tensor's name
     * @return the tensor: a view of the store's memory (writable unless the store is read-only)
     * @throws IpcException NOT_FOUND naming the tensors that exist
     */
    public Tensor tensor(String tensorName) {
        Tensor t = tensors.get(tensorName);
        if (t == null) {
            List<String> names = tensorNames();
            String shown = names.size() <= 20 ? names.toString()
                    : names.subList(0, 20) + " and " + (names.size() - 20) + " more";
            throw new IpcException(Reason.NOT_FOUND, "tensor store '" + name + "' has no tensor "
                    + SafetensorsHeader.quote(String.valueOf(tensorName)) + "; it holds " + shown);
        }
        return t;
    }

    /** @return the {@code __metadata__} pairs, including the {@code ipc4j.*} ownership keys */
    public Map<String, String> metadata() {
        return header.metadata();
    }

    /** @return the parsed header */
    public SafetensorsHeader header() {
        return header;
    }

    /** @return the header length field's value (JSON plus padding) */
    public long headerLength() {
        return header.headerLength();
    }

    /** @return the byte offset of the data area ({@code 8 + headerLength()}) */
    public long dataOffset() {
        return header.dataOffset();
    }

    /** @return the store's total size in bytes */
    public long size() {
        return memory.byteSize();
    }

    /** @return the whole store's bytes: a safetensors file (read-only when the store is) */
    public MemorySegment segment() {
        return memory;
    }

    /** @return true when mapped read-only */
    public boolean isReadOnly() {
        return memory.isReadOnly();
    }

    /** @return true when closing removes the store (its creator, not persistent; or not yet published) */
    public boolean isOwner() {
        return shm != null && (shm.isOwner() || !shm.isPublished());
    }

    /**
     * Unmaps the store; its owner also unlinks it (an unpublished store is always removed).
     * Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (shm != null) {
            shm.close();
        } else {
            fileArena.close();
        }
    }

    @Override
    public String toString() {
        return "TensorStore[" + name + ", " + tensors.size() + " tensors, " + size() + " B"
                + (isReadOnly() ? ", read-only" : "") + (isPublished() ? "" : ", unpublished")
                + (closed.get() ? ", closed" : "") + "]";
    }

    // ------------------------------------------------------------------------------------------

    /**
     * Builds a store: declare tensors (empty ones to fill, or Java tensors to copy in) and metadata,
     * then {@link #create()} (unpublished, fill it, {@link TensorStore#publish()}) or
     * {@link #build()} (create, copy, publish at once). Not thread-safe; use once.
     */
    public static final class Builder {
        private final String name;
        private final List<HeaderWriter.Spec> specs = new ArrayList<>();
        private final Map<String, Tensor> sources = new LinkedHashMap<>();
        private final Map<String, String> metadata = new LinkedHashMap<>();
        private ShmDirectory directory = ShmDirectory.defaultDirectory();
        private int mode = SharedSegment.DEFAULT_MODE;
        private boolean persistent;
        private HeaderLimits limits = HeaderLimits.DEFAULT;

        private Builder(String name) {
            this.name = SegmentName.validate(name);
        }

        /**
         * Declares a zero-filled tensor, to be filled through {@link TensorStore#tensor(String)}.
         *
         * @param tensorName its name (unique in the store, not {@code __metadata__})
         * @param dtype      element type
         * @param shape      dimensions, each &ge; 0
         * @return this
         * @throws IpcException INVALID_ARGUMENT on a duplicate name or a bad shape
         */
        public Builder add(String tensorName, DType dtype, long... shape) {
            Objects.requireNonNull(dtype, "dtype");
            Objects.requireNonNull(shape, "shape");
            checkName(tensorName);
            Tensor.byteSize(dtype, shape); // validates the shape
            specs.add(new HeaderWriter.Spec(tensorName, dtype, shape.clone()));
            return this;
        }

        /**
         * Declares a tensor copied from {@code source} (under the source's name) when the store is created.
         *
         * @param source a tensor; it must stay open until {@link #create()}/{@link #build()}
         * @return this
         */
        public Builder add(Tensor source) {
            return add(source.name(), source);
        }

        /**
         * Declares a tensor copied from {@code source} under another name.
         *
         * @param tensorName the name in the store
         * @param source     a tensor
         * @return this
         */
        public Builder add(String tensorName, Tensor source) {
            Objects.requireNonNull(source, "source");
            add(tensorName, source.dtype(), source.shape());
            sources.put(tensorName, source);
            return this;
        }

        /**
         * Adds a {@code __metadata__} pair. Keys starting with {@value TensorStore#RESERVED_PREFIX}
         * are reserved for ownership data.
         *
         * @param key   key
         * @param value value
         * @return this
         */
        public Builder metadata(String key, String value) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            if (key.startsWith(RESERVED_PREFIX)) {
                throw new IpcException(Reason.INVALID_ARGUMENT, "tensor store '" + name + "': metadata key '" + key
                        + "' uses the reserved prefix " + RESERVED_PREFIX);
            }
            metadata.put(key, value);
            return this;
        }

        /**
         * @param p true to leave the published store in place when its creator closes it or dies
         *          (recorded as lifetime {@value TensorStore#LIFETIME_PERSISTENT})
         * @return this
         */
        public Builder persistent(boolean p) {
            this.persistent = p;
            return this;
        }

        /**
         * @param d the shared-memory directory (default: {@link ShmDirectory#defaultDirectory()})
         * @return this
         */
        public Builder directory(ShmDirectory d) {
            this.directory = Objects.requireNonNull(d, "directory");
            return this;
        }

        /**
         * @param m permission bits (default 0600)
         * @return this
         */
        public Builder mode(int m) {
            this.mode = m;
            return this;
        }

        /**
         * @param l the limits readers apply; creation fails when the store would break them
         * @return this
         */
        public Builder limits(HeaderLimits l) {
            this.limits = Objects.requireNonNull(l, "limits");
            return this;
        }

        private void checkName(String tensorName) {
            Objects.requireNonNull(tensorName, "tensor name");
            if (tensorName.equals(SafetensorsHeader.METADATA_KEY)) {
                throw new IpcException(Reason.INVALID_ARGUMENT, "tensor store '" + name + "': '"
                        + SafetensorsHeader.METADATA_KEY + "' is not a valid tensor name");
            }
            for (HeaderWriter.Spec s : specs) {
                if (s.name().equals(tensorName)) {
                    throw new IpcException(Reason.INVALID_ARGUMENT, "tensor store '" + name + "': duplicate tensor name "
                            + SafetensorsHeader.quote(tensorName));
                }
            }
        }

        /**
         * Creates the store under a temporary name, writes its header and copies the source tensors
         * (through the segment's file, a kernel copy). Fill the other tensors, then
         * {@link TensorStore#publish()}; closing it unpublished removes it.
         *
         * @return the writable, unpublished store, owned by this process
         * @throws IpcException ALREADY_EXISTS, NO_SPACE, INVALID_ARGUMENT
         */
        public TensorStore create() {
            String what = "create tensor store '" + name + "'";
            List<SafetensorsHeader.Entry> layout = HeaderWriter.layout(specs);
            Map<String, String> md = new LinkedHashMap<>(metadata);
            md.putAll(ownership(persistent));
            byte[] head = HeaderWriter.encode(layout, md);
            long dataSize = layout.isEmpty() ? 0 : layout.getLast().end();
            long total;
            try {
                total = Math.addExact(head.length, dataSize);
            } catch (ArithmeticException e) {
                throw new IpcException(Reason.INVALID_ARGUMENT, what + ": total size overflows");
            }
            checkAbsent(directory, name, what);
            SharedSegment seg = SharedSegment.createUnpublished(directory, name, total, mode);
            try {
                try (FileChannel ch = openSegmentFile(seg)) {
                    writeFully(ch, ByteBuffer.wrap(head), 0);
                    for (SafetensorsHeader.Entry e : layout) {
                        Tensor src = sources.get(e.name());
                        if (src != null) {
                            writeSegment(ch, src.segment(), head.length + e.begin());
                        }
                    }
                }
                SafetensorsHeader h;
                try {
                    h = SafetensorsHeader.parse(seg.memory(), limits);
                } catch (IpcException e) {
                    throw new IpcException(Reason.INVALID_ARGUMENT, what + ": readers would reject it: "
                            + e.getMessage(), e);
                }
                return new TensorStore(name, seg, null, seg.memory(), h, persistent);
            } catch (IOException e) {
                seg.close();
                throw new IpcException(Reason.OS_ERROR, what + ": " + e, e);
            } catch (Throwable t) {
                seg.close();
                throw t;
            }
        }

        /**
         * Creates the store, copies the source tensors in and publishes it. Tensors declared with
         * {@link #add(String, DType, long...)} stay zero (fill them through the store's views).
         *
         * @return the published store, owned by this process
         */
        public TensorStore build() {
            TensorStore s = create();
            try {
                s.publish();
                return s;
            } catch (Throwable t) {
                s.close();
                throw t;
            }
        }
    }
}

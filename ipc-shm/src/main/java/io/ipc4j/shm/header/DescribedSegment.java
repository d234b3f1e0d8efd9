package io.ipc4j.shm.header;

import io.ipc4j.IpcException;
import io.ipc4j.IpcException.Reason;
import io.ipc4j.process.ProcessIdentity;
import io.ipc4j.shm.SharedSegment;
import io.ipc4j.shm.ShmDirectory;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A shared-memory segment that starts with a {@link DescriptorHeader}: the form of every ipc4j
 * segment except tensor stores.
 *
 * <pre>{@code
 * // creator
 * try (DescribedSegment s = DescribedSegment.create("jobs", SegmentKind.RING, 1 << 20)) {
 *     initialise(s.payload());
 *     s.markReady();                                   // release: readers now see the payload
 *     ...
 * }
 * // any other process
 * try (DescribedSegment s = DescribedSegment.open("jobs", SegmentKind.RING, Duration.ofSeconds(5))) {
 *     use(s.payload());
 * }
 * }</pre>
 *
 * <p><b>Creating.</b> The header is written under a temporary name, then the segment is
 * published under its final name (atomic rename, never replacing an existing segment) with its
 * ready word still 0. The creator fills the payload and calls {@link #markReady()}. If the
 * creator dies before that, openers get {@link Reason#CREATOR_DEAD} and garbage collection
 * removes the segment (even a persistent one: it was never complete).
 *
 * <p><b>Opening</b> checks, in order: the file is large enough for a header
 * ({@link Reason#TRUNCATED}), the magic ({@link Reason#WRONG_MAGIC}), the layout version
 * ({@link Reason#VERSION_MISMATCH}), the kind ({@link Reason#WRONG_KIND}), the recorded sizes
 * ({@link Reason#CORRUPT}, {@link Reason#TRUNCATED}), and then waits for the ready word
 * ({@link Reason#NOT_READY} when the timeout passes; {@link Reason#CREATOR_DEAD} as soon as the
 * creator is seen dead while the word is unset). A segment that is ready opens even when its
 * creator has since died; {@link #isCreatorAlive()} tells.
 *
 * <p><b>Ownership</b> is that of {@link SharedSegment}: the creator unlinks the segment on
 * {@link #close()}, unless it was created persistent and marked ready. Openers only unmap.
 */
public final class DescribedSegment implements AutoCloseable {
    private static final long MIN_POLL_NANOS = 1_000_000L;
    private static final long MAX_POLL_NANOS = 10_000_000L;

    private final SharedSegment segment;
    private final boolean creator;
    private final boolean persistent;
    private final HeaderFields header;
    private final MemorySegment payload;

    private DescribedSegment(SharedSegment segment, boolean creator, boolean persistent, HeaderFields header) {
        this.segment = segment;
        this.creator = creator;
        this.persistent = persistent;
        this.header = header;
        this.payload = segment.memory().asSlice(header.headerLength(), header.payloadLength());
    }

    /**
     * Creates a segment with default options; call {@link #markReady()} once the payload is written.
     *
     * @param name         segment name (see {@link io.ipc4j.shm.SegmentName})
     * @param kind         what it holds
     * @param payloadBytes payload size after the header, &gt;= 0
     * @return the created, published, not yet ready segment
     */
    public static DescribedSegment create(String name, SegmentKind kind, long payloadBytes) {
        return create(name, kind, payloadBytes, CreateOptions.defaults());
    }

    /**
     * Creates a segment; call {@link #markReady()} once the payload is written.
     *
     * @param name         segment name (see {@link io.ipc4j.shm.SegmentName})
     * @param kind         what it holds
     * @param payloadBytes payload size after the header, &gt;= 0
     * @param options      directory, mode, persistence, payload version
     * @return the created, published, not yet ready segment
     * @throws IpcException ALREADY_EXISTS, NO_SPACE, INVALID_NAME, INVALID_ARGUMENT, ...
     */
    public static DescribedSegment create(String name, SegmentKind kind, long payloadBytes, CreateOptions options) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(options, "options");
        long total = DescriptorHeader.segmentLength(payloadBytes);
        SharedSegment seg = SharedSegment.createUnpublished(options.directory(), name, total, options.mode());
        try {
            ProcessIdentity me = ProcessIdentity.current();
            int flags = options.persistent() ? DescriptorHeader.FLAG_PERSISTENT : 0;
            DescriptorHeader.write(seg.memory(), kind, flags, me.pid(), me.startTicks(), System.currentTimeMillis(),
                    payloadBytes, options.payloadVersion());
            seg.publish();
            return new DescribedSegment(seg, true, options.persistent(), DescriptorHeader.read(seg.memory()));
        } catch (RuntimeException e) {
            seg.close();
            throw e;
        }
    }

    /**
     * Creates a segment, runs {@code initializer} on its payload, then marks it ready. If the
     * initializer throws, the segment is removed and the exception propagates.
     *
     * @param name         segment name
     * @param kind         what it holds
     * @param payloadBytes payload size after the header, &gt;= 0
     * @param options      directory, mode, persistence, payload version
     * @param initializer  writes the payload (zero-filled on entry)
     * @return the created, ready segment
     */
    public static DescribedSegment create(String name, SegmentKind kind, long payloadBytes, CreateOptions options,
                                          Consumer<MemorySegment> initializer) {
        Objects.requireNonNull(initializer, "initializer");
        DescribedSegment s = create(name, kind, payloadBytes, options);
        try {
            initializer.accept(s.payload());
            s.markReady();
            return s;
        } catch (RuntimeException | Error e) {
            s.close();
            throw e;
        }
    }

    /**
     * Opens a segment in the default directory for reading and writing.
     *
     * @param name         segment name
     * @param expectedKind the kind it must be
     * @param readyTimeout how long to wait for its creator to mark it ready
     * @return the opened, ready segment
     */
    public static DescribedSegment open(String name, SegmentKind expectedKind, Duration readyTimeout) {
        return open(ShmDirectory.defaultDirectory(), name, expectedKind, readyTimeout, false);
    }

    /**
     * Opens a segment and checks its header (see the class description for the order of checks).
     *
     * @param directory    where
     * @param name         segment name
     * @param expectedKind the kind it must be
     * @param readyTimeout how long to wait for its creator to mark it ready ({@link Duration#ZERO}: do not wait)
     * @param readOnly     map read-only
     * @return the opened, ready segment
     * @throws IpcException NOT_FOUND, TRUNCATED, WRONG_MAGIC, VERSION_MISMATCH, WRONG_KIND, CORRUPT,
     *                      NOT_READY, CREATOR_DEAD, ...
     */
    public static DescribedSegment open(ShmDirectory directory, String name, SegmentKind expectedKind,
                                        Duration readyTimeout, boolean readOnly) {
        Objects.requireNonNull(expectedKind, "expectedKind");
        Objects.requireNonNull(readyTimeout, "readyTimeout");
        SharedSegment seg;
        try {
            seg = SharedSegment.open(directory, name, readOnly);
        } catch (IpcException e) {
            if (e.reason() == Reason.NOT_READY) {
                // SharedSegment reports a 0-byte file as not ready; ours are published complete
                throw new IpcException(Reason.TRUNCATED, "open segment '" + name + "': it is empty (0 bytes), "
                        + "smaller than the " + DescriptorHeader.LENGTH + "-byte descriptor header", e);
            }
            throw e;
        }
        try {
            HeaderFields h = check(name, seg.memory(), expectedKind);
            h = awaitReady(name, seg.memory(), h, readyTimeout);
            return new DescribedSegment(seg, false, h.isPersistent(), h);
        } catch (RuntimeException e) {
            seg.close();
            throw e;
        }
    }

    private static HeaderFields check(String name, MemorySegment mem, SegmentKind expectedKind) {
        String what = "open segment '" + name + "': ";
        if (mem.byteSize() < DescriptorHeader.LENGTH) {
            throw new IpcException(Reason.TRUNCATED, what + "it has " + mem.byteSize()
                    + " bytes, fewer than the " + DescriptorHeader.LENGTH + "-byte descriptor header");
        }
        HeaderFields h = DescriptorHeader.read(mem);
        if (!h.hasValidMagic()) {
            throw new IpcException(Reason.WRONG_MAGIC, what + "wrong magic " + DescriptorHeader.describeMagic(h.magic())
                    + ", expected " + DescriptorHeader.describeMagic(DescriptorHeader.MAGIC)
                    + " (not an ipc4j described segment)");
        }
        if (!h.hasSupportedVersion()) {
            throw new IpcException(Reason.VERSION_MISMATCH, what + "header layout version " + h.layoutVersion()
                    + ", this library reads version " + DescriptorHeader.LAYOUT_VERSION);
        }
        if (h.kindCode() != expectedKind.code()) {
            throw new IpcException(Reason.WRONG_KIND, what + "it is a " + h.kindLabel() + " segment, expected "
                    + expectedKind.label());
        }
        Optional<String> sizeProblem = h.sizeProblem(mem.byteSize());
        if (sizeProblem.isPresent()) {
            Reason r = h.headerLength() == DescriptorHeader.LENGTH ? Reason.TRUNCATED : Reason.CORRUPT;
            throw new IpcException(r, what + sizeProblem.get());
        }
        return h;
    }

    /** Polls the ready word (acquire) with short sleeps on the monotonic clock. */
    private static HeaderFields awaitReady(String name, MemorySegment mem, HeaderFields first, Duration timeout) {
        HeaderFields h = first;
        long timeoutNanos = saturatedNanos(timeout);
        long start = System.nanoTime();
        long pause = MIN_POLL_NANOS;
        while (!h.isReady()) {
            if (h.readyWord() != DescriptorHeader.NOT_READY) {
                throw new IpcException(Reason.CORRUPT, "open segment '" + name + "': ready word holds "
                        + h.readyWord() + " (expected " + DescriptorHeader.NOT_READY + " or " + DescriptorHeader.READY + ")");
            }
            if (Boolean.FALSE.equals(h.creatorAlive().orElse(null))) {
                throw new IpcException(Reason.CREATOR_DEAD, "open segment '" + name + "': its creator (pid "
                        + h.creatorPid() + ", start tick " + h.creatorStartTicks() + ") died before marking it ready");
            }
            long waited = System.nanoTime() - start;
            if (waited >= timeoutNanos) {
                throw new IpcException(Reason.NOT_READY, "open segment '" + name + "': not ready after "
                        + Duration.ofNanos(waited).toMillis() + " ms (creator pid " + h.creatorPid()
                        + " is still running but has not marked it ready)");
            }
            sleep(name, Math.min(pause, timeoutNanos - waited));
            pause = Math.min(pause * 2, MAX_POLL_NANOS);
            h = DescriptorHeader.read(mem);
        }
        return h;
    }

    private static long saturatedNanos(Duration d) {
        if (d.isNegative()) {
            return 0;
        }
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private static void sleep(String name, long nanos) {
        try {
            Thread.sleep(Duration.ofNanos(Math.max(nanos, 0)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IpcException(Reason.NOT_READY, "open segment '" + name + "': interrupted while waiting for it to be ready", e);
        }
    }

    /**
     * Marks the segment ready (release store of the ready word): every write to the payload made
     * before this call is visible to processes that open it afterwards. A persistent segment is
     * kept from here on, even when this process closes it. Idempotent.
     *
     * @throws IpcException INVALID_ARGUMENT when this process did not create it, CLOSED after close
     */
    public void markReady() {
        if (!creator) {
            throw new IpcException(Reason.INVALID_ARGUMENT,
                    "segment '" + name() + "': only its creator can mark it ready");
        }
        if (segment.isClosed()) {
            throw new IpcException(Reason.CLOSED, "segment '" + name() + "' is closed");
        }
        DescriptorHeader.markReady(segment.memory());
        if (persistent && segment.isOwner()) {
            segment.persist();
        }
    }

    /** @return true when the ready word is set (acquire load) */
    public boolean isReady() {
        return DescriptorHeader.readyWord(segment.memory()) == DescriptorHeader.READY;
    }

    /** @return the header as read when this segment was created or opened */
    public HeaderFields header() {
        return header;
    }

    /** @return the segment kind */
    public SegmentKind kind() {
        return header.kind().orElseThrow();
    }

    /** @return the segment name */
    public String name() {
        return segment.name();
    }

    /** @return true when this process created it */
    public boolean isCreator() {
        return creator;
    }

    /** @return true when its creator (pid and start time) still runs */
    public boolean isCreatorAlive() {
        return header.creator().isAlive();
    }

    /**
     * The payload: the bytes after the header, cache-line aligned. Valid until {@link #close()};
     * afterwards accesses throw {@link IllegalStateException}.
     *
     * @return the payload slice
     */
    public MemorySegment payload() {
        return payload;
    }

    /** @return the underlying segment (header and payload) */
    public SharedSegment segment() {
        return segment;
    }

    /** Unmaps; the creator also unlinks unless the segment is persistent and ready. Idempotent. */
    @Override
    public void close() {
        segment.close();
    }

    @Override
    public String toString() {
        return "DescribedSegment[" + name() + ", " + header.kindLabel() + ", payload " + header.payloadLength()
                + " B" + (creator ? ", creator" : "") + "]";
    }
}

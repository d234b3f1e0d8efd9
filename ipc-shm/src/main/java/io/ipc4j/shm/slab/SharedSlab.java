package io.ipc4j.shm.slab;

import io.ipc4j.IpcException;
import io.ipc4j.IpcException.Reason;
import io.ipc4j.process.ProcessIdentity;
import io.ipc4j.shm.ShmDirectory;
import io.ipc4j.shm.header.CreateOptions;
import io.ipc4j.shm.header.DescribedSegment;
import io.ipc4j.shm.header.SegmentKind;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;

import static io.ipc4j.shm.slab.SlabLayout.*;

/**
 * A slab of fixed-size slots in a named shared-memory segment ({@link SegmentKind#SLAB}, layout
 * {@link SlabLayout}), loaned to processes whose ownership survives crashes: the slots a dead
 * process held come back through {@link #reclaimDeadOwners()}.
 *
 * <pre>{@code
 * try (SharedSlab slab = SharedSlab.open("payloads", Duration.ofSeconds(5))) {
 *     int me = slab.register();                 // once per process (or per independent user)
 *     long h = slab.allocate(me);
 *     if (h < 0) { ... SharedSlab.EXHAUSTED ... }
 *     slab.slot(h).copyFrom(input);
 *     slab.transfer(h, me, workerId);           // the worker now owns it and frees it
 * }
 * }</pre>
 *
 * <p><b>Allocation</b> is a lock-free scan over the per-slot state words, starting at a shared
 * rotating hint: the first FREE word is claimed by one CAS FREE(gen) → HELD(owner, gen). There is
 * no free list. The state word is the only record of ownership, so there is no window in which a
 * slot is "off the free list but not yet owned": a process that dies at any instruction either
 * did not win the CAS (the slot is still FREE) or did (the slot is HELD by its owner id and
 * {@link #reclaimDeadOwners()} returns it). The price is an O(slots) worst-case scan when the slab
 * is nearly full; the hint keeps the common case short. A scan that finds nothing returns
 * {@link #EXHAUSTED}; a slot freed behind the scan while it ran may be missed (retry).
 *
 * <p><b>Owners</b> register in an owner table ({@link #register()}): the entry records pid and
 * start time. An owner id is {@code index | epoch << 8}; every registration of an entry bumps its
 * epoch, so slots still marked with a retired owner id are recognised as orphans even after the
 * entry is reused (the epoch wraps after 65535 registrations of one entry).
 *
 * <p><b>Recovery</b>: {@link #reclaimDeadOwners()} marks entries whose process is gone as
 * RECLAIMING, then sweeps every slot word and frees, by CAS HELD(owner, gen) → FREE(gen + 1),
 * each slot whose owner id is not a live registration; then retires the entries. It is safe to
 * run concurrently with allocation, freeing and other reclaimers (every change is a CAS on one
 * word; each slot is counted by the one CAS that freed it). A dead owner's old handles are stale
 * afterwards because the generation moved on.
 *
 * <p><b>Hot-path statuses</b>: {@link #allocate} returns a handle &gt;= 0 or a negative status;
 * {@link #free} and {@link #transfer} return {@link #OK} or a negative status. Nothing on these
 * paths throws for a bad handle or owner id. All loops are bounded by the slot count or the owner
 * capacity, whatever the shared bytes hold.
 *
 * <p>Thread-safe. {@link #close()} unmaps (the creator also unlinks); later accesses throw
 * {@link IllegalStateException}, never crash.
 */
public final class SharedSlab implements AutoCloseable {
    /** Status: success. */
    public static final int OK = 0;
    /** Status: no FREE slot was found. */
    public static final int EXHAUSTED = -1;
    /** Status: the handle's generation is not the slot's (freed, reclaimed or reused since). */
    public static final int STALE = -2;
    /** Status: the slot is held by another owner than the one given. */
    public static final int NOT_OWNER = -3;
    /** Status: the handle does not name a slot of this slab. */
    public static final int BAD_HANDLE = -4;
    /** Status: the owner id is not one this slab can have issued. */
    public static final int BAD_OWNER = -5;

    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong PLAIN_LONG = ValueLayout.JAVA_LONG;

    private final DescribedSegment segment;
    private final MemorySegment payload;
    private final int slotSize;
    private final int slotCount;
    private final int ownerCapacity;
    private final long stateOffset;
    private final long dataOffset;

    private SharedSlab(DescribedSegment segment, int slotSize, int slotCount, int ownerCapacity) {
        this.segment = segment;
        this.payload = segment.payload();
        this.slotSize = slotSize;
        this.slotCount = slotCount;
        this.ownerCapacity = ownerCapacity;
        this.stateOffset = SlabLayout.stateOffset(ownerCapacity);
        this.dataOffset = SlabLayout.dataOffset(ownerCapacity, slotCount);
    }

    /**
     * Creates a slab with all slots FREE (generation 0) and an empty owner table.
     *
     * @param name      segment name (see {@link io.ipc4j.shm.SegmentName})
     * @param slotSize  bytes per slot, a multiple of 64
     * @param slotCount number of slots, 1..{@value SlabLayout#MAX_SLOTS}
     * @param maxOwners owner-table capacity, 1..{@value SlabLayout#MAX_OWNERS}
     * @return the ready slab; this process owns the segment
     * @throws IpcException INVALID_ARGUMENT, ALREADY_EXISTS, NO_SPACE, INVALID_NAME, ...
     */
    public static SharedSlab create(String name, int slotSize, int slotCount, int maxOwners) {
        return create(name, slotSize, slotCount, maxOwners, CreateOptions.defaults());
    }

    /**
     * Creates a slab.
     *
     * @param name      segment name
     * @param slotSize  bytes per slot, a multiple of 64
     * @param slotCount number of slots
     * @param maxOwners owner-table capacity
     * @param options   directory, mode, persistence (the payload version is always
     *                  {@link SlabLayout#PAYLOAD_VERSION})
     * @return the ready slab; this process owns the segment
     * @throws IpcException INVALID_ARGUMENT, ALREADY_EXISTS, NO_SPACE, INVALID_NAME, ...
     */
    public static SharedSlab create(String name, int slotSize, int slotCount, int maxOwners, CreateOptions options) {
        Objects.requireNonNull(options, "options");
        long bytes = SlabLayout.payloadBytes(slotSize, slotCount, maxOwners);   // checks the parameters
        DescribedSegment seg = DescribedSegment.create(name, SegmentKind.SLAB, bytes,
                options.payloadVersion(PAYLOAD_VERSION), p -> {
                    p.set(INT, SLOT_SIZE_OFFSET, slotSize);
                    p.set(INT, SLOT_COUNT_OFFSET, slotCount);
                    p.set(INT, OWNER_CAPACITY_OFFSET, maxOwners);
                    p.set(PLAIN_LONG, STATE_OFFSET_OFFSET, SlabLayout.stateOffset(maxOwners));
                    p.set(PLAIN_LONG, DATA_OFFSET_OFFSET, SlabLayout.dataOffset(maxOwners, slotCount));
                    // the rest is zero: owners FREE, slots FREE with generation 0, hint 0
                });
        return new SharedSlab(seg, slotSize, slotCount, maxOwners);
    }

    /**
     * Opens a slab in the default directory.
     *
     * @param name         segment name
     * @param readyTimeout how long to wait for its creator to initialise it
     * @return the opened slab
     * @throws IpcException NOT_FOUND, WRONG_KIND, NOT_READY, CREATOR_DEAD, VERSION_MISMATCH, CORRUPT, ...
     */
    public static SharedSlab open(String name, Duration readyTimeout) {
        return open(ShmDirectory.defaultDirectory(), name, readyTimeout);
    }

    /**
     * Opens a slab, checking the descriptor header, the payload version, the slab header against
     * the segment size, and every owner entry and slot state word.
     *
     * @param directory    where
     * @param name         segment name
     * @param readyTimeout how long to wait for its creator to initialise it
     * @return the opened slab
     * @throws IpcException as {@link #open(String, Duration)}
     */
    public static SharedSlab open(ShmDirectory directory, String name, Duration readyTimeout) {
        DescribedSegment seg = DescribedSegment.open(directory, name, SegmentKind.SLAB, readyTimeout, false);
        try {
            return validate(seg, "open slab '" + name + "'");
        } catch (RuntimeException e) {
            seg.close();
            throw e;
        }
    }

    private static SharedSlab validate(DescribedSegment seg, String what) {
        int version = seg.header().payloadVersion();
        if (version != PAYLOAD_VERSION) {
            throw new IpcException(Reason.VERSION_MISMATCH, what + ": slab payload version " + version
                    + ", this library reads version " + PAYLOAD_VERSION);
        }
        MemorySegment p = seg.payload();
        if (p.byteSize() < OWNER_TABLE_OFFSET) {
            throw new IpcException(Reason.CORRUPT, what + ": payload of " + p.byteSize()
                    + " bytes is smaller than the " + OWNER_TABLE_OFFSET + "-byte slab header");
        }
        int size = p.get(INT, SLOT_SIZE_OFFSET);
        int count = p.get(INT, SLOT_COUNT_OFFSET);
        int owners = p.get(INT, OWNER_CAPACITY_OFFSET);
        String problem = SlabLayout.problem(size, count, owners);
        if (problem != null) {
            throw new IpcException(Reason.CORRUPT, what + ": " + problem);
        }
        long stateAt = p.get(PLAIN_LONG, STATE_OFFSET_OFFSET);
        long dataAt = p.get(PLAIN_LONG, DATA_OFFSET_OFFSET);
        if (stateAt != SlabLayout.stateOffset(owners) || dataAt != SlabLayout.dataOffset(owners, count)) {
            throw new IpcException(Reason.CORRUPT, what + ": recorded offsets (state " + stateAt + ", data " + dataAt
                    + ") disagree with " + owners + " owners and " + count + " slots (state "
                    + SlabLayout.stateOffset(owners) + ", data " + SlabLayout.dataOffset(owners, count) + ")");
        }
        long need = dataAt + (long) size * count;
        if (need > p.byteSize()) {
            throw new IpcException(Reason.CORRUPT, what + ": " + count + " slots of " + size + " bytes need a "
                    + need + "-byte payload, the segment has " + p.byteSize());
        }
        for (int i = 0; i < owners; i++) {
            long w = (long) LONG.getVolatile(p, OWNER_TABLE_OFFSET + (long) OWNER_ENTRY_LENGTH * i);
            int st = ownerState(w);
            if (st > OWNER_RECLAIMING || ownerReservedBits(w) != 0) {
                throw new IpcException(Reason.CORRUPT, what + ": owner entry " + i + " holds impossible word 0x"
                        + Long.toHexString(w));
            }
        }
        for (int i = 0; i < count; i++) {
            long w = (long) LONG.getVolatile(p, stateAt + 8L * i);
            int st = slotState(w);
            int owner = slotOwner(w);
            boolean ok = st == SLOT_FREE ? owner == 0
                    : st == SLOT_HELD && (owner & OWNER_INDEX_MASK) < owners && (owner >>> 8) != 0;
            if (!ok) {
                throw new IpcException(Reason.CORRUPT, what + ": slot " + i + " holds impossible state word 0x"
                        + Long.toHexString(w));
            }
        }
        return new SharedSlab(seg, size, count, owners);
    }

    // ---------------------------------------------------------------- owners

    /**
     * Registers the current process as an owner. A process may register several times (each
     * registration is an independent owner). When the table is full, dead owners are reclaimed
     * once and the search repeated.
     *
     * @return the new owner id (&gt; 0)
     * @throws IpcException TOO_LARGE when every owner entry is taken by a live process
     */
    public int register() {
        ProcessIdentity me = ProcessIdentity.current();
        for (int attempt = 0; attempt < 2; attempt++) {
            for (int i = 0; i < ownerCapacity; i++) {
                long at = ownerAt(i);
                long w = (long) LONG.getVolatile(payload, at);
                if (ownerState(w) != OWNER_FREE) {
                    continue;
                }
                int epoch = ownerEpoch(w) % EPOCH_MASK + 1;                      // 1..65535, never 0
                if (LONG.compareAndSet(payload, at, w, ownerWord(OWNER_CLAIMING, epoch, me.pid()))) {
                    LONG.setVolatile(payload, at + OWNER_TICKS_OFFSET, me.startTicks());
                    LONG.setVolatile(payload, at, ownerWord(OWNER_ACTIVE, epoch, me.pid()));
                    return i | epoch << 8;
                }
            }
            reclaimDeadOwners();
        }
        throw new IpcException(Reason.TOO_LARGE, "slab '" + name() + "': all " + ownerCapacity
                + " owner entries are held by live processes");
    }

    /**
     * Unregisters an owner: every slot it still holds returns to the free state (its handles
     * become stale) and its entry becomes free.
     *
     * @param ownerId an id from {@link #register()}
     * @return the number of slots returned, or {@link #BAD_OWNER} when the id is not a current registration
     */
    public int unregister(int ownerId) {
        if (!plausibleOwner(ownerId)) {
            return BAD_OWNER;
        }
        long at = ownerAt(ownerId & OWNER_INDEX_MASK);
        long w = (long) LONG.getVolatile(payload, at);
        if (ownerState(w) != OWNER_ACTIVE || ownerEpoch(w) != ownerId >>> 8
                || !LONG.compareAndSet(payload, at, w, ownerWord(OWNER_RECLAIMING, ownerEpoch(w), ownerPid(w)))) {
            return BAD_OWNER;
        }
        int n = sweepOrphans();
        retire(at);
        return n;
    }

    /**
     * Returns the slots of owners whose process has died (pid and start time no longer match a
     * running process) and frees their owner entries. Also returns slots still marked with an
     * owner id that is no longer registered (left by a reclaimer or unregister racing with a
     * {@link #transfer}). Safe to call from any process at any time, concurrently with everything.
     *
     * @return the number of slots this call returned to the free state
     */
    public int reclaimDeadOwners() {
        for (int i = 0; i < ownerCapacity; i++) {
            long at = ownerAt(i);
            long w = (long) LONG.getVolatile(payload, at);
            int st = ownerState(w);
            if ((st == OWNER_ACTIVE || st == OWNER_CLAIMING) && !ownerAlive(at, w)) {
                LONG.compareAndSet(payload, at, w, ownerWord(OWNER_RECLAIMING, ownerEpoch(w), ownerPid(w)));
            }
        }
        int n = sweepOrphans();
        for (int i = 0; i < ownerCapacity; i++) {
            retire(ownerAt(i));
        }
        return n;
    }

    private boolean ownerAlive(long at, long w) {
        if (ownerState(w) == OWNER_CLAIMING) {
            // registering: the start ticks may still be the previous owner's, judge by the pid alone
            return ProcessHandle.of(ownerPid(w)).map(ProcessHandle::isAlive).orElse(false);
        }
        // ACTIVE: the ticks were written by the registrant before its release store of ACTIVE,
        // and only a registrant (holding CLAIMING) ever writes them
        return new ProcessIdentity(ownerPid(w), (long) LONG.getVolatile(payload, at + OWNER_TICKS_OFFSET)).isAlive();
    }

    /** RECLAIMING → FREE (keeping the epoch, which the next registration bumps). */
    private void retire(long at) {
        long w = (long) LONG.getVolatile(payload, at);
        if (ownerState(w) == OWNER_RECLAIMING) {
            LONG.compareAndSet(payload, at, w, ownerWord(OWNER_FREE, ownerEpoch(w), 0));
        }
    }

    /** Frees every HELD slot whose owner id is not a live (CLAIMING or ACTIVE) registration. */
    private int sweepOrphans() {
        int n = 0;
        for (int i = 0; i < slotCount; i++) {
            long sat = stateAt(i);
            long w = (long) LONG.getVolatile(payload, sat);
            if (slotState(w) != SLOT_HELD) {
                continue;
            }
            int owner = slotOwner(w);
            int index = owner & OWNER_INDEX_MASK;
            if (index < ownerCapacity) {
                long ow = (long) LONG.getVolatile(payload, ownerAt(index));
                int st = ownerState(ow);
                if ((st == OWNER_ACTIVE || st == OWNER_CLAIMING) && ownerEpoch(ow) == owner >>> 8) {
                    continue;
                }
            }
            if (LONG.compareAndSet(payload, sat, w, slotWord(SLOT_FREE, 0, slotGeneration(w) + 1))) {
                n++;
            }
        }
        return n;
    }

    // ---------------------------------------------------------------- hot path

    /**
     * Claims a FREE slot for an owner. Lock-free; never throws for a bad owner id.
     *
     * @param ownerId an id from {@link #register()}
     * @return a handle &gt;= 0, or {@link #EXHAUSTED} / {@link #BAD_OWNER}
     */
    public long allocate(int ownerId) {
        if (!plausibleOwner(ownerId)) {
            return BAD_OWNER;
        }
        long hint = (long) LONG.getOpaque(payload, (long) HINT_OFFSET);
        int start = (int) Long.remainderUnsigned(hint, slotCount);
        int i = start;
        for (int k = 0; k < slotCount; k++) {
            long sat = stateAt(i);
            long w = (long) LONG.getVolatile(payload, sat);
            if (slotState(w) == SLOT_FREE
                    && LONG.compareAndSet(payload, sat, w, slotWord(SLOT_HELD, ownerId, slotGeneration(w)))) {
                LONG.setOpaque(payload, (long) HINT_OFFSET, (long) (i + 1 == slotCount ? 0 : i + 1));
                return (long) i << 32 | slotGeneration(w);
            }
            i = i + 1 == slotCount ? 0 : i + 1;
        }
        return EXHAUSTED;
    }

    /**
     * Frees a slot: HELD(owner, gen) → FREE(gen + 1). A second free of the same handle, a free by
     * another owner and a free of a reclaimed slot all fail without changing anything.
     *
     * @param handle  from {@link #allocate}
     * @param ownerId the slot's current owner
     * @return {@link #OK}, {@link #STALE}, {@link #NOT_OWNER}, {@link #BAD_HANDLE} or {@link #BAD_OWNER}
     */
    public int free(long handle, int ownerId) {
        if (!plausibleOwner(ownerId)) {
            return BAD_OWNER;
        }
        if (!plausibleHandle(handle)) {
            return BAD_HANDLE;
        }
        long sat = stateAt(slotIndex(handle));
        long w = (long) LONG.getVolatile(payload, sat);
        int status = check(w, handle, ownerId);
        if (status != OK) {
            return status;
        }
        return LONG.compareAndSet(payload, sat, w, slotWord(SLOT_FREE, 0, slotGeneration(w) + 1)) ? OK : STALE;
    }

    /**
     * Hands a held slot to another owner (same generation: the handle stays valid for the new
     * owner), e.g. a job's input from the submitter to the worker. One CAS on the slot word.
     *
     * @param handle    the slot
     * @param fromOwner its current owner
     * @param toOwner   the new owner (an id from {@link #register()}, usually of another process)
     * @return {@link #OK}, {@link #STALE}, {@link #NOT_OWNER}, {@link #BAD_HANDLE} or {@link #BAD_OWNER}
     *         (also when {@code toOwner} is not a current registration)
     */
    public int transfer(long handle, int fromOwner, int toOwner) {
        if (!plausibleOwner(fromOwner) || !plausibleOwner(toOwner)) {
            return BAD_OWNER;
        }
        if (!plausibleHandle(handle)) {
            return BAD_HANDLE;
        }
        long ow = (long) LONG.getVolatile(payload, ownerAt(toOwner & OWNER_INDEX_MASK));
        if (ownerState(ow) != OWNER_ACTIVE || ownerEpoch(ow) != toOwner >>> 8) {
            return BAD_OWNER;
        }
        long sat = stateAt(slotIndex(handle));
        long w = (long) LONG.getVolatile(payload, sat);
        int status = check(w, handle, fromOwner);
        if (status != OK) {
            return status;
        }
        // if toOwner is retired between the check above and this CAS, the slot carries a retired
        // owner id and the next reclaimDeadOwners() returns it
        return LONG.compareAndSet(payload, sat, w, slotWord(SLOT_HELD, toOwner, slotGeneration(w))) ? OK : STALE;
    }

    /**
     * Checks a handle without changing anything.
     *
     * @param handle  a handle
     * @param ownerId the owner it should belong to
     * @return {@link #OK} when the slot is HELD by that owner with that generation, else a negative status
     */
    public int status(long handle, int ownerId) {
        if (!plausibleOwner(ownerId)) {
            return BAD_OWNER;
        }
        if (!plausibleHandle(handle)) {
            return BAD_HANDLE;
        }
        return check((long) LONG.getVolatile(payload, stateAt(slotIndex(handle))), handle, ownerId);
    }

    private static int check(long w, long handle, int ownerId) {
        if (slotState(w) != SLOT_HELD || slotGeneration(w) != (handle & GEN_MASK)) {
            return STALE;
        }
        return slotOwner(w) == ownerId ? OK : NOT_OWNER;
    }

    /**
     * The slot's bytes ({@link #slotSize()} of them, 64-byte aligned), after checking that the
     * handle is current (HELD with its generation; by any owner).
     *
     * @param handle from {@link #allocate}
     * @return a slice of the slab valid until {@link #close()}
     * @throws IpcException INVALID_ARGUMENT for a handle that is malformed or stale
     */
    public MemorySegment slot(long handle) {
        if (!plausibleHandle(handle)) {
            throw new IpcException(Reason.INVALID_ARGUMENT, "slab '" + name() + "': handle 0x"
                    + Long.toHexString(handle) + " names no slot (" + slotCount + " slots)");
        }
        int i = slotIndex(handle);
        long w = (long) LONG.getVolatile(payload, stateAt(i));
        if (slotState(w) != SLOT_HELD || slotGeneration(w) != (handle & GEN_MASK)) {
            throw new IpcException(Reason.INVALID_ARGUMENT, "slab '" + name() + "': stale handle for slot " + i
                    + " (generation " + (handle & GEN_MASK) + ", slot is " + (slotState(w) == SLOT_HELD ? "held" : "free")
                    + " at generation " + slotGeneration(w) + ")");
        }
        return payload.asSlice(dataOffset + (long) i * slotSize, slotSize);
    }

    /**
     * @param handle a handle
     * @return its slot index
     */
    public static int slotIndex(long handle) {
        return (int) (handle >>> 32);
    }

    /**
     * @param handle a handle
     * @return its generation
     */
    public static long generation(long handle) {
        return handle & GEN_MASK;
    }

    private boolean plausibleHandle(long handle) {
        return handle >= 0 && slotIndex(handle) < slotCount;
    }

    private boolean plausibleOwner(int ownerId) {
        return ownerId > 0 && ownerId <= OWNER_ID_MASK && (ownerId & OWNER_INDEX_MASK) < ownerCapacity
                && (ownerId >>> 8) != 0;
    }

    private long ownerAt(int index) {
        return OWNER_TABLE_OFFSET + (long) OWNER_ENTRY_LENGTH * index;
    }

    private long stateAt(int index) {
        return stateOffset + 8L * index;
    }

    // ---------------------------------------------------------------- queries

    /** @return the number of HELD slots (a scan; a snapshot under concurrency) */
    public int usedSlots() {
        int n = 0;
        for (int i = 0; i < slotCount; i++) {
            if (slotState((long) LONG.getVolatile(payload, stateAt(i))) == SLOT_HELD) {
                n++;
            }
        }
        return n;
    }

    /** @return the number of slots */
    public int slotCount() {
        return slotCount;
    }

    /** @return bytes per slot (a multiple of 64) */
    public int slotSize() {
        return slotSize;
    }

    /** @return the owner-table capacity */
    public int ownerCapacity() {
        return ownerCapacity;
    }

    /** @return the segment name */
    public String name() {
        return segment.name();
    }

    /** @return the underlying described segment */
    public DescribedSegment segment() {
        return segment;
    }

    /** Unmaps; the creator also unlinks. Idempotent. Does not unregister owners. */
    @Override
    public void close() {
        segment.close();
    }

    @Override
    public String toString() {
        return "SharedSlab[" + name() + ", " + slotCount + " x " + slotSize + " B, " + ownerCapacity + " owners]";
    }
}

package io.ipc4j.shm.slab;

import io.ipc4j.IpcException;
import io.ipc4j.IpcException.Reason;

/**
 * The payload of a {@link SharedSlab} segment (after the descriptor header, payload version
 * {@link #PAYLOAD_VERSION}). All integers little-endian; every region starts on a 64-byte line.
 *
 * <pre>
 *  payload offset        size         field
 *   0                    4            slot size (bytes, a multiple of 64)
 *   4                    4            slot count
 *   8                    4            owner capacity M (1..{@value #MAX_OWNERS})
 *  12                    4            reserved, zero
 *  16                    8            state-array offset (cross-check)
 *  24                    8            data-area offset (cross-check)
 *  32                   32            reserved, zero
 *  64                    8            allocation hint (next slot index to try), own cache line
 *  72                   56            padding
 * 128                   M * 32        owner table, one 32-byte entry per owner:
 *                                       +0  owner word  (state | epoch | pid, see below)
 *                                       +8  start ticks of that pid (pid reuse is real)
 *                                       +16 reserved (16 bytes)
 *  S = align64(128+32M)  N * 8        slot state words, one per slot
 *  D = align64(S+8N)     N * size     slot data, slot i at D + i * size
 * </pre>
 *
 * <p><b>Slot state word</b> (the only truth about a slot):
 * <pre>
 *  bits 63..56 state: {@value #SLOT_FREE} FREE, {@value #SLOT_HELD} HELD
 *  bits 55..32 owner id (HELD) or 0 (FREE); owner id = table index | epoch &lt;&lt; 8
 *  bits 31..0  generation, bumped by every free and reclaim
 * </pre>
 * A handle is {@code slotIndex << 32 | generation}: non-negative, and stale as soon as the slot's
 * generation moves on (wraps after 2^32 frees of one slot).
 *
 * <p><b>Owner word</b>:
 * <pre>
 *  bits 63..56 state: {@value #OWNER_FREE} FREE, {@value #OWNER_CLAIMING} CLAIMING (registering),
 *              {@value #OWNER_ACTIVE} ACTIVE, {@value #OWNER_RECLAIMING} RECLAIMING (found dead or unregistering)
 *  bits 55..48 reserved, zero
 *  bits 47..32 epoch (1..65535), bumped by every registration of the entry
 *  bits 31..0  pid
 * </pre>
 */
public final class SlabLayout {
    /** The payload layout version stored in the descriptor header. */
    public static final int PAYLOAD_VERSION = 1;
    /** Slot sizes are multiples of this (and slots start on such a boundary). */
    public static final int ALIGNMENT = 64;
    /** Largest slot size, bytes. */
    public static final int MAX_SLOT_SIZE = 1 << 30;
    /** Largest slot count. */
    public static final int MAX_SLOTS = 1 << 24;
    /** Largest owner capacity (owner table index is 8 bits). */
    public static final int MAX_OWNERS = 256;

    /** Offset of the slot-size int. */
    public static final int SLOT_SIZE_OFFSET = 0;
    /** Offset of the slot-count int. */
    public static final int SLOT_COUNT_OFFSET = 4;
    /** Offset of the owner-capacity int. */
    public static final int OWNER_CAPACITY_OFFSET = 8;
    /** Offset of the state-array-offset long. */
    public static final int STATE_OFFSET_OFFSET = 16;
    /** Offset of the data-offset long. */
    public static final int DATA_OFFSET_OFFSET = 24;
    /** Offset of the allocation hint long. */
    public static final int HINT_OFFSET = 64;
    /** Offset of the owner table. */
    public static final int OWNER_TABLE_OFFSET = 128;
    /** Bytes per owner-table entry. */
    public static final int OWNER_ENTRY_LENGTH = 32;
    /** Offset of the owner word within an entry. */
    public static final int OWNER_WORD_OFFSET = 0;
    /** Offset of the start ticks within an entry. */
    public static final int OWNER_TICKS_OFFSET = 8;

    /** Slot state FREE. */
    public static final int SLOT_FREE = 0;
    /** Slot state HELD. */
    public static final int SLOT_HELD = 1;
    /** Owner entry unused. */
    public static final int OWNER_FREE = 0;
    /** Owner entry being registered (pid written, start ticks maybe not yet). */
    public static final int OWNER_CLAIMING = 1;
    /** Owner entry registered. */
    public static final int OWNER_ACTIVE = 2;
    /** Owner entry being retired: its slots are being returned. */
    public static final int OWNER_RECLAIMING = 3;

    static final long GEN_MASK = 0xFFFF_FFFFL;
    static final int OWNER_ID_MASK = 0xFF_FFFF;
    static final int OWNER_INDEX_MASK = 0xFF;
    static final int EPOCH_MASK = 0xFFFF;

    private SlabLayout() {
    }

    /** @return {@code x} rounded up to a multiple of 64 */
    static long align(long x) {
        return (x + ALIGNMENT - 1) & -ALIGNMENT;
    }

    /**
     * @param owners owner capacity
     * @return payload offset of the slot state words
     */
    public static long stateOffset(int owners) {
        return align(OWNER_TABLE_OFFSET + (long) OWNER_ENTRY_LENGTH * owners);
    }

    /**
     * @param owners owner capacity
     * @param slots  slot count
     * @return payload offset of the slot data
     */
    public static long dataOffset(int owners, int slots) {
        return align(stateOffset(owners) + 8L * slots);
    }

    /**
     * @param slotSize bytes per slot
     * @param slots    slot count
     * @param owners   owner capacity
     * @return payload bytes of such a slab
     * @throws IpcException INVALID_ARGUMENT when a parameter is out of range
     */
    public static long payloadBytes(int slotSize, int slots, int owners) {
        String p = problem(slotSize, slots, owners);
        if (p != null) {
            throw new IpcException(Reason.INVALID_ARGUMENT, "slab: " + p);
        }
        return dataOffset(owners, slots) + (long) slotSize * slots;
    }

    /** @return what is wrong with the parameters, or null */
    static String problem(int slotSize, int slots, int owners) {
        if (slotSize < ALIGNMENT || slotSize > MAX_SLOT_SIZE || slotSize % ALIGNMENT != 0) {
            return "slot size " + slotSize + " is not a multiple of " + ALIGNMENT + " between " + ALIGNMENT
                    + " and " + MAX_SLOT_SIZE;
        }
        if (slots < 1 || slots > MAX_SLOTS) {
            return "slot count " + slots + " is not between 1 and " + MAX_SLOTS;
        }
        if (owners < 1 || owners > MAX_OWNERS) {
            return "owner capacity " + owners + " is not between 1 and " + MAX_OWNERS;
        }
        return null;
    }

    static long slotWord(int state, int ownerId, long generation) {
        return ((long) state << 56) | ((long) ownerId << 32) | (generation & GEN_MASK);
    }

    static int slotState(long word) {
        return (int) (word >>> 56);
    }

    static int slotOwner(long word) {
        return (int) (word >>> 32) & OWNER_ID_MASK;
    }

    static long slotGeneration(long word) {
        return word & GEN_MASK;
    }

    static long ownerWord(int state, int epoch, long pid) {
        return ((long) state << 56) | ((long) epoch << 32) | (pid & 0xFFFF_FFFFL);
    }

    static int ownerState(long word) {
        return (int) (word >>> 56);
    }

    static int ownerEpoch(long word) {
        return (int) (word >>> 32) & EPOCH_MASK;
    }

    static long ownerPid(long word) {
        return word & 0xFFFF_FFFFL;
    }

    static long ownerReservedBits(long word) {
        return word & 0x00FF_0000_0000_0000L;
    }
}

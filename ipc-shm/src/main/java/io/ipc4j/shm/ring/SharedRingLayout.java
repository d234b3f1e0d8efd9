package io.ipc4j.shm.ring;

/**
 * The payload of a {@link SharedRing} segment (after the segment's descriptor header, payload
 * version {@link #PAYLOAD_VERSION}): a 64-byte ring header, then the ring itself
 * ({@link RingBufferLayout}). All integers little-endian.
 *
 * <pre>
 *  payload offset  size  field
 *   0              4     ring type ({@link RingType#code()}: 1 one-to-one, 2 many-to-one)
 *   4              4     capacity of the data area, a power of two
 *   8              8     ring bytes = capacity + {@link RingBufferLayout#TRAILER_LENGTH} (cross-check)
 *  16             48     reserved, zero
 *  64              ...   the ring: data area, then trailer
 * </pre>
 */
public final class SharedRingLayout {
    /** The payload layout version stored in the descriptor header. */
    public static final int PAYLOAD_VERSION = 1;
    /** Offset of the ring type int. */
    public static final int TYPE_OFFSET = 0;
    /** Offset of the capacity int. */
    public static final int CAPACITY_OFFSET = 4;
    /** Offset of the ring-bytes long. */
    public static final int RING_BYTES_OFFSET = 8;
    /** Bytes of the ring header; the ring starts here. */
    public static final int HEADER_LENGTH = 64;

    private SharedRingLayout() {
    }

    /**
     * @param capacity a valid data-area capacity
     * @return payload bytes of a shared ring of that capacity
     * @throws io.ipc4j.IpcException INVALID_ARGUMENT for an invalid capacity
     */
    public static long payloadBytes(int capacity) {
        return HEADER_LENGTH + RingBufferLayout.requiredBytes(capacity);
    }
}

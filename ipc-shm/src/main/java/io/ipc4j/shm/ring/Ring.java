package io.ipc4j.shm.ring;

import java.lang.foreign.MemorySegment;

/**
 * What both ring kinds offer: producers {@link #write} or {@link #tryClaim} / {@link #commit} /
 * {@link #abort} (loan &rarr; write &rarr; publish), the single consumer {@link #read}s. Which
 * threads may produce is stated by the implementation's name: {@link OneToOneRing} (one producer)
 * or {@link ManyToOneRing} (any number, in any processes). There is always exactly one consumer
 * thread at a time.
 *
 * <p>Full is not an error: {@link #write} returns {@code false} and {@link #tryClaim} returns
 * {@link #INSUFFICIENT_CAPACITY}; the producer retries later. Nothing here blocks or allocates.
 */
public sealed interface Ring permits OneToOneRing, ManyToOneRing {
    /**
     * Status returned by {@link #tryClaim} when the ring has no room for the record now. Negative,
     * so never a valid index.
     */
    long INSUFFICIENT_CAPACITY = -2;

    /** @return which producers this ring admits */
    RingType type();

    /** @return bytes of the data area (a power of two) */
    int capacity();

    /** @return the longest payload accepted: {@code capacity() / 8} */
    int maxMessageLength();

    /**
     * Copies a message into the ring (producer side).
     *
     * @param msgTypeId the message type, &gt;= 1
     * @param src       where the payload is
     * @param srcOffset payload offset in {@code src}
     * @param length    payload bytes, 0 to {@link #maxMessageLength()}
     * @return true when written, false when the ring has no room now
     * @throws IllegalArgumentException for a type below 1 or a bad length
     * @throws IndexOutOfBoundsException when the payload is not within {@code src}
     * @throws io.ipc4j.IpcException     CORRUPT when the trailer's tail position is not 8-aligned
     */
    boolean write(int msgTypeId, MemorySegment src, long srcOffset, int length);

    /**
     * Copies a message from an array into the ring (producer side).
     *
     * @param msgTypeId the message type, &gt;= 1
     * @param src       where the payload is
     * @param srcOffset payload offset in {@code src}
     * @param length    payload bytes, 0 to {@link #maxMessageLength()}
     * @return true when written, false when the ring has no room now
     * @throws IllegalArgumentException for a type below 1 or a bad length
     * @throws IndexOutOfBoundsException when the payload is not within {@code src}
     * @throws io.ipc4j.IpcException     CORRUPT when the trailer's tail position is not 8-aligned
     */
    boolean write(int msgTypeId, byte[] src, int srcOffset, int length);

    /**
     * Claims room for a message of {@code length} bytes to be written in place (the loan). Write
     * the payload into {@link #buffer()} at {@code [index, index + length)}, then {@link #commit}
     * (publish) or {@link #abort} (give back) it. Until then the consumer stops at this record:
     * messages claimed after it are not read either. A claim left open by a dead producer is freed
     * by {@link ManyToOneRing#unblock()}.
     *
     * @param msgTypeId the message type, &gt;= 1
     * @param length    payload bytes, 0 to {@link #maxMessageLength()}
     * @return the payload's index in {@link #buffer()} (&gt;= 0), or {@link #INSUFFICIENT_CAPACITY}
     * @throws IllegalArgumentException for a type below 1 or a bad length
     * @throws io.ipc4j.IpcException     CORRUPT when the trailer's tail position is not 8-aligned
     */
    long tryClaim(int msgTypeId, int length);

    /**
     * Publishes a claimed message: the consumer sees every byte written to it before this call.
     *
     * @param index what {@link #tryClaim} returned
     * @throws IllegalArgumentException when {@code index} cannot be a claim's index
     * @throws IllegalStateException    when the claim was already committed or aborted
     */
    void commit(long index);

    /**
     * Gives back a claimed message: the consumer skips it.
     *
     * @param index what {@link #tryClaim} returned
     * @throws IllegalArgumentException when {@code index} cannot be a claim's index
     * @throws IllegalStateException    when the claim was already committed or aborted
     */
    void abort(long index);

    /**
     * The ring's memory: data area then trailer ({@link RingBufferLayout}), the slice indices of
     * {@link #tryClaim} and {@link MessageHandler} refer to.
     *
     * @return the slice
     */
    MemorySegment buffer();

    /**
     * Reads every message available now (consumer side). Stops at the end of the data area, so a
     * call hands over at most {@link #capacity()} bytes; call again for the rest.
     *
     * @param handler receives each message
     * @return messages handed to {@code handler}
     * @throws io.ipc4j.IpcException CORRUPT when a record header holds what no producer writes
     *                               (the ring stays at that record)
     */
    int read(MessageHandler handler);

    /**
     * Reads up to {@code limit} messages (consumer side).
     *
     * @param handler receives each message
     * @param limit   most messages to hand over in this call
     * @return messages handed to {@code handler}
     * @throws io.ipc4j.IpcException CORRUPT when a record header holds what no producer writes
     */
    int read(MessageHandler handler, int limit);

    /** @return the tail position: bytes claimed by producers since initialisation (volatile read) */
    long producerPosition();

    /** @return the head position: bytes consumed since initialisation (volatile read) */
    long consumerPosition();

    /** @return bytes claimed and not yet consumed, in [0, capacity()] */
    int size();

    /**
     * @return a number unique among all users of this ring (atomic increment of the shared
     * correlation counter), e.g. to match a completion to its request
     */
    long nextCorrelationId();

    /**
     * Publishes the consumer's heartbeat (release store), so producers can tell it is alive.
     *
     * @param time a timestamp in a unit the users agree on (e.g. {@code System.currentTimeMillis()})
     */
    void consumerHeartbeatTime(long time);

    /** @return the last heartbeat the consumer published, 0 if none (volatile read) */
    long consumerHeartbeatTime();
}

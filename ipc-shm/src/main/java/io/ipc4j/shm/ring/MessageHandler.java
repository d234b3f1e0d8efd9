package io.ipc4j.shm.ring;

import java.lang.foreign.MemorySegment;

/**
 * Receives the messages a {@link Ring#read(MessageHandler)} call consumes, one call per message,
 * in order, on the consumer's thread.
 *
 * <p>The bytes are the ring's own: valid only during the call (the producers reuse them right
 * after), never to be written. Copy what must outlive the call. If the handler throws, the message
 * it was handed counts as consumed and the exception propagates out of {@code read}.
 */
@FunctionalInterface
public interface MessageHandler {
    /**
     * Handles one message.
     *
     * @param msgTypeId the type the producer gave it, &gt;= 1
     * @param buffer    the ring's memory ({@link Ring#buffer()})
     * @param offset    where the payload starts in {@code buffer}
     * @param length    payload bytes, &gt;= 0
     */
    void onMessage(int msgTypeId, MemorySegment buffer, long offset, int length);
}

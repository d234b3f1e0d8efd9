package io.ipc4j.pipes.fdpass;

import java.nio.charset.StandardCharsets;

/**
 * One received message: its data and the descriptors that came with it. Close it (or its
 * {@link #fds()}) to close the descriptors you did not {@linkplain ReceivedFds#claim(int) claim}.
 *
 * @param data the bytes, 1 to {@link FdChannel#MAX_MESSAGE_BYTES}
 * @param fds  the descriptors, owned until claimed
 */
public record FdMessage(byte[] data, ReceivedFds fds) implements AutoCloseable {
    /** @return the data decoded as UTF-8 */
    public String text() {
        return new String(data, StandardCharsets.UTF_8);
    }

    /** Closes the unclaimed descriptors. */
    @Override
    public void close() {
        fds.close();
    }
}

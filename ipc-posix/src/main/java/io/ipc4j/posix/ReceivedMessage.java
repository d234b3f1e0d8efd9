package io.ipc4j.posix;

/**
 * What one {@link PosixSockets#recvmsg} call delivered.
 *
 * <p>The descriptors in {@link #fds()} are new, open descriptors in this process (close-on-exec
 * when received with {@link PosixSockets#MSG_CMSG_CLOEXEC}); the caller owns them and must close
 * each one.
 *
 * @param bytes number of data bytes placed in the buffer; 0 means end of stream (the peer shut
 *              down or closed; ipc4j never sends empty messages)
 * @param fds   the descriptors that came with the data ({@code SCM_RIGHTS}), possibly empty
 * @param flags {@code msg_flags} as the kernel returned them, e.g. {@link PosixSockets#MSG_TRUNC}
 */
public record ReceivedMessage(long bytes, int[] fds, int flags) {
    /** @return true when the datagram/packet was longer than the buffer and its tail was dropped */
    public boolean isTruncated() {
        return (flags & PosixSockets.MSG_TRUNC) != 0;
    }

    /** @return true at end of stream */
    public boolean isEndOfStream() {
        return bytes == 0;
    }
}

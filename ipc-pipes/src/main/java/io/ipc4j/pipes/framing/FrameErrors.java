package io.ipc4j.pipes.framing;

import io.ipc4j.IpcException;
import io.ipc4j.IpcException.Reason;

import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.Channel;
import java.nio.channels.ClosedChannelException;

/** Turns I/O failures into {@link IpcException}s and closes the channel on the way. */
final class FrameErrors {
    private FrameErrors() {
    }

    static IpcException fail(Channel channel, Reason reason, String message) {
        closeQuietly(channel);
        return new IpcException(reason, message);
    }

    static IpcException io(Channel channel, String doing, IOException e) {
        closeQuietly(channel);
        if (e.getCause() instanceof IpcException ipc) {
            return new IpcException(ipc.reason(), doing + ": " + ipc.getMessage(), ipc.errno(), e);
        }
        if (e instanceof AsynchronousCloseException || e instanceof ClosedChannelException) {
            return new IpcException(Reason.CLOSED, doing + ": the channel was closed", e);
        }
        String m = String.valueOf(e.getMessage());
        boolean peerGone = m.contains("Broken pipe") || m.contains("Connection reset") || m.contains("Stream closed");
        return new IpcException(peerGone ? Reason.PEER_CLOSED : Reason.OS_ERROR, doing + ": " + m, e);
    }

    static void closeQuietly(Channel channel) {
        try {
            channel.close();
        } catch (IOException | RuntimeException ignored) {
            // already failing; the original error matters more
        }
    }

    static int checkMax(int maxFrameBytes) {
        if (maxFrameBytes < 0 || maxFrameBytes > FrameReader.LARGEST_MAX_FRAME_BYTES) {
            throw new IpcException(Reason.INVALID_ARGUMENT, "maximum frame size " + maxFrameBytes
                    + " outside 0.." + FrameReader.LARGEST_MAX_FRAME_BYTES);
        }
        return maxFrameBytes;
    }
}

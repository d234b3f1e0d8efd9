package io.ipc4j.benchmarks.throughput;

import io.ipc4j.IpcException;
import io.ipc4j.pipes.uds.PeerPolicy;
import io.ipc4j.pipes.uds.UdsAddress;
import io.ipc4j.pipes.uds.UdsClient;
import io.ipc4j.pipes.uds.UdsConnection;
import io.ipc4j.posix.PosixProcess;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * The reading side of {@link UdsThroughput}: {@code UdsThroughputChild SOCKET FRAME_BYTES FRAMES
 * PARENT_PID}. Connects, reads {@code FRAMES} frames checking each one's marks
 * ({@link UdsThroughput#check}), answers with one frame {@code [frames read, sum of marks]}, and
 * exits 0 when the parent closes. Dies with its parent (parent-death signal); any failure: one
 * line on stderr, exit 1.
 */
public final class UdsThroughputChild {
    private UdsThroughputChild() {
    }

    /**
     * Entry point.
     *
     * @param args {@code SOCKET FRAME_BYTES FRAMES PARENT_PID}
     */
    public static void main(String[] args) {
        try {
            PosixProcess.setParentDeathSignal(PosixProcess.SIGKILL);
            if (PosixProcess.getppid() != Integer.parseInt(args[3])) {
                throw new IpcException(IpcException.Reason.PEER_CLOSED, "the parent is already gone");
            }
            int frameBytes = Integer.parseInt(args[1]);
            long frames = Long.parseLong(args[2]);
            try (UdsConnection c = UdsClient.connect(UdsAddress.path(Path.of(args[0])), PeerPolicy.sameUser(),
                    UdsThroughput.maxFrame(frameBytes))) {
                long sum = 0;
                for (long i = 0; i < frames; i++) {
                    ByteBuffer f = c.readFrame();
                    if (f == null) {
                        throw new IpcException(IpcException.Reason.PEER_CLOSED, "the parent closed after " + i + " frames");
                    }
                    sum += UdsThroughput.check(f, i, frameBytes);
                }
                ByteBuffer ack = ByteBuffer.allocate(UdsThroughput.ACK_BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(frames).putLong(sum).flip();
                c.writeFrame(ack);
                if (c.readFrame() != null) {
                    throw new IpcException(IpcException.Reason.CORRUPT, "a frame after the last one");
                }
            }
        } catch (RuntimeException e) {
            System.err.println(UdsThroughput.CHILD_ERROR_PREFIX + e.getMessage());
            System.exit(1);
        }
        System.exit(0);
    }
}

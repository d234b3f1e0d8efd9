package io.ipc4j.benchmarks.throughput;

import io.ipc4j.IpcException;
import io.ipc4j.posix.PosixProcess;
import io.ipc4j.shm.ring.MessageHandler;
import io.ipc4j.shm.ring.OneToOneRing;
import io.ipc4j.shm.ring.SharedRing;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;

/**
 * The reading side of {@link RingThroughput}: {@code RingThroughputChild DATA_RING ACK_RING
 * MESSAGE_BYTES MESSAGES PARENT_PID TIMEOUT_MS}. Opens both rings, publishes a heartbeat, then
 * busy-polls the data ring, copying each message into its own buffer and checking it
 * ({@link RingThroughput#check}); after the last one it writes {@code [messages, sum of marks]} to
 * the answer ring and exits 0. Dies with its parent; any failure: one line on stderr, exit 1.
 */
public final class RingThroughputChild {
    private long expected;
    private long sum;
    private final MemorySegment copy;
    private final int bytes;

    private RingThroughputChild(MemorySegment copy, int bytes) {
        this.copy = copy;
        this.bytes = bytes;
    }

    /**
     * Entry point.
     *
     * @param args {@code DATA_RING ACK_RING MESSAGE_BYTES MESSAGES PARENT_PID TIMEOUT_MS}
     */
    public static void main(String[] args) {
        try {
            PosixProcess.setParentDeathSignal(PosixProcess.SIGKILL);
            int parentPid = Integer.parseInt(args[4]);
            if (PosixProcess.getppid() != parentPid) {
                throw new IpcException(IpcException.Reason.PEER_CLOSED, "the parent is already gone");
            }
            int bytes = Integer.parseInt(args[2]);
            long total = Long.parseLong(args[3]);
            long limit = Duration.ofMillis(Long.parseLong(args[5])).toNanos();
            if (bytes < Long.BYTES || bytes > RingThroughput.MAX_MESSAGE || total < 1) {
                throw new IpcException(IpcException.Reason.INVALID_ARGUMENT, "bad size or count: " + bytes + ", " + total);
            }
            try (SharedRing data = SharedRing.open(args[0], Duration.ofSeconds(5));
                 SharedRing acks = SharedRing.open(args[1], Duration.ofSeconds(5));
                 Arena arena = Arena.ofConfined()) {
                OneToOneRing ring = data.oneToOne();
                RingThroughputChild reader = new RingThroughputChild(arena.allocate(bytes, 64), bytes);
                ring.consumerHeartbeatTime(System.currentTimeMillis());
                MessageHandler handler = reader::onMessage;
                int polls = 0;
                long idleSince = 0;
                while (reader.expected < total) {
                    if (ring.read(handler) > 0) {
                        idleSince = 0;
                        continue;
                    }
                    RingThroughput.idle(++polls);
                    if ((polls & RingThroughput.CHECK_MASK) == 0) {
                        long now = System.nanoTime();
                        if (idleSince == 0) {
                            idleSince = now;
                        } else if (now - idleSince > limit) {
                            throw new IpcException(IpcException.Reason.TIMEOUT, "no message for " + limit / 1_000_000
                                    + " ms after " + reader.expected);
                        }
                        if (PosixProcess.getppid() != parentPid) {
                            throw new IpcException(IpcException.Reason.PEER_CLOSED, "the parent is gone");
                        }
                    }
                }
                MemorySegment ack = arena.allocate(16, 8);
                ack.set(java.lang.foreign.ValueLayout.JAVA_LONG, 0, reader.expected);
                ack.set(java.lang.foreign.ValueLayout.JAVA_LONG, 8, reader.sum);
                if (!acks.oneToOne().write(RingThroughput.MSG_TYPE, ack, 0, 16)) {
                    throw new IpcException(IpcException.Reason.CORRUPT, "the answer ring is full");
                }
            }
        } catch (RuntimeException e) {
            System.err.println(UdsThroughput.CHILD_ERROR_PREFIX + e.getMessage());
            System.exit(1);
        }
        System.exit(0);
    }

    private void onMessage(int type, MemorySegment buffer, long offset, int length) {
        if (length != bytes) {
            throw new IpcException(IpcException.Reason.CORRUPT, "message " + expected + ": " + length
                    + " bytes, expected " + bytes);
        }
        MemorySegment.copy(buffer, offset, copy, 0, length);
        sum += RingThroughput.check(copy, length, expected, bytes);
        expected++;
    }
}

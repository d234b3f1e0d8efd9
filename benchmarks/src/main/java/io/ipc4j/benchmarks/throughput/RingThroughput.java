package io.ipc4j.benchmarks.throughput;

import io.ipc4j.IpcException;
import io.ipc4j.process.JvmCommand;
import io.ipc4j.shm.ring.OneToOneRing;
import io.ipc4j.shm.ring.SharedRing;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One-way streaming throughput through a shared-memory ring: this JVM copies messages into a
 * {@link OneToOneRing} in a {@link SharedRing} segment, a child JVM ({@link RingThroughputChild})
 * copies each one out and checks it.
 *
 * <pre>{@code
 * ThroughputResult r = RingThroughput.run(4096, 200_000, 20_000, Duration.ofSeconds(10));
 * }</pre>
 *
 * <p>Two rings: the data ring ({@code capacity} = the smallest power of two &ge;
 * {@value #MIN_CAPACITY} bytes with room for 8 messages, since a ring takes messages up to a
 * eighth of its capacity) and a small answer ring back. Each message carries the same marks as
 * {@link UdsThroughput}'s frames (index first, {@link UdsThroughput#mark} in the middle and at the
 * end). The parent waits for the child's first heartbeat, then writes {@code warmup + frames}
 * messages back to back, spinning (and yielding now and then) while the ring is full; the child busy-polls the same way. That is two
 * spinning threads, one per core on a two-core machine. The clock runs from the first measured
 * message to the child's answer {@code [count, sum of marks]}, which the parent verifies.
 *
 * <p>Bounded: no progress for {@code timeout} or a dead child ends the run; the child is always
 * killed and both segments unlinked. Messages are at most {@link #MAX_MESSAGE} bytes (a
 * {@value #MAX_CAPACITY}-byte ring).
 */
public final class RingThroughput {
    /** The transport name in results and on the command line. */
    public static final String NAME = "shm-ring";
    /** Smallest data ring. */
    static final int MIN_CAPACITY = 1 << 20;
    /** Largest data ring (bytes of /dev/shm this run may use). */
    static final int MAX_CAPACITY = 256 << 20;
    /** Largest message: an eighth of the largest ring. */
    public static final int MAX_MESSAGE = MAX_CAPACITY / 8;
    /** Capacity of the answer ring. */
    static final int ACK_CAPACITY = 4096;
    /** Message type of data and answer messages. */
    static final int MSG_TYPE = 1;
    /** Failed polls between two liveness/deadline checks (a power of two minus one). */
    static final int CHECK_MASK = (1 << 12) - 1;

    /** Idle steps between two yields (a power of two minus one). */
    static final int YIELD_MASK = (1 << 7) - 1;

    private static final AtomicLong COUNTER = new AtomicLong();

    private RingThroughput() {
    }

    /**
     * @param messageBytes payload bytes per message
     * @return the data ring capacity for that size
     */
    static int capacity(int messageBytes) {
        int cap = MIN_CAPACITY;
        while (cap / 8 < messageBytes) {
            cap <<= 1;
        }
        return cap;
    }

    /**
     * Streams messages to a child JVM through a shared ring and measures the rate.
     *
     * @param messageBytes payload bytes per message, 8..{@link #MAX_MESSAGE}
     * @param frames       measured messages, &gt;= 1
     * @param warmup       messages before the clock starts, &gt;= 0
     * @param timeout      the longest the run may go without progress
     * @return the result
     * @throws IpcException INVALID_ARGUMENT for bad numbers (naming the maximum size); TIMEOUT,
     *                      PEER_CLOSED, CORRUPT when the child stalls, dies or answers wrongly
     */
    public static ThroughputResult run(int messageBytes, long frames, long warmup, Duration timeout) {
        if (messageBytes < Long.BYTES || messageBytes > MAX_MESSAGE) {
            throw new IpcException(IpcException.Reason.INVALID_ARGUMENT, NAME + " throughput: message size must be "
                    + "8 B.." + (MAX_MESSAGE >> 20) + " MiB (a ring holds messages up to 1/8 of its "
                    + (MAX_CAPACITY >> 20) + " MiB), was " + messageBytes);
        }
        if (frames < 1 || warmup < 0 || frames > Long.MAX_VALUE / 4 - warmup || timeout.isNegative()
                || timeout.isZero()) {
            throw new IpcException(IpcException.Reason.INVALID_ARGUMENT, NAME + " throughput: messages >= 1, "
                    + "warmup >= 0, timeout > 0; got " + frames + ", " + warmup + ", " + timeout);
        }
        String base = "ipc4j-bench-ring-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + "-"
                + COUNTER.incrementAndGet();
        long limit = timeout.toNanos();
        Path log;
        try {
            log = Files.createTempFile("ipc4j-bench-ring-child-", ".log");
        } catch (IOException e) {
            throw new IpcException(IpcException.Reason.OS_ERROR, NAME + " throughput: cannot create a temporary file: "
                    + e, e);
        }
        Process child = null;
        try (SharedRing data = SharedRing.createOneToOne(base + "-data", capacity(messageBytes));
             SharedRing acks = SharedRing.createOneToOne(base + "-ack", ACK_CAPACITY);
             Arena arena = Arena.ofConfined()) {
            long total = warmup + frames;
            List<String> cmd = JvmCommand.forMain(RingThroughputChild.class)
                    .jvmOptions(UdsThroughput.CHILD_JVM_OPTIONS)
                    .args(data.name(), acks.name(), Integer.toString(messageBytes), Long.toString(total),
                            Long.toString(ProcessHandle.current().pid()), Long.toString(timeout.toMillis()))
                    .build();
            child = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            OneToOneRing ring = data.oneToOne();
            awaitConsumer(ring, child, limit, log);
            MemorySegment frame = arena.allocate(messageBytes, 64);
            for (long i = 0; i < messageBytes; i += 4096) {
                frame.set(ValueLayout.JAVA_BYTE, i, (byte) i); // touch every page once
            }
            long start = System.nanoTime();
            for (long i = 0; i < total; i++) {
                if (i == warmup) {
                    start = System.nanoTime();
                }
                stamp(frame, i, messageBytes);
                int polls = 0;
                long waitStart = 0;
                while (!ring.write(MSG_TYPE, frame, 0, messageBytes)) {
                    RingThroughput.idle(++polls);
                    if ((polls & CHECK_MASK) == 0) {
                        long now = System.nanoTime();
                        if (waitStart == 0) {
                            waitStart = now;
                        } else if (now - waitStart > limit) {
                            throw stalled(child, "the ring stayed full", timeout, log);
                        }
                        if (!child.isAlive()) {
                            throw died(child, log);
                        }
                    }
                }
            }
            long[] ack = awaitAck(acks.oneToOne(), child, limit, log);
            long nanos = System.nanoTime() - start;
            long sum = 0;
            for (long i = 0; i < total; i++) {
                sum += UdsThroughput.mark(i);
            }
            if (ack[0] != total || ack[1] != sum) {
                throw new IpcException(IpcException.Reason.CORRUPT, NAME + " throughput: the child's answer ("
                        + ack[0] + " messages) does not match " + total + " messages");
            }
            return new ThroughputResult(NAME, messageBytes, frames, nanos);
        } catch (IOException e) {
            throw new IpcException(IpcException.Reason.OS_ERROR, NAME + " throughput: cannot start the child JVM: " + e, e);
        } finally {
            if (child != null) {
                try {
                    if (!child.waitFor(5, TimeUnit.SECONDS)) {
                        child.destroyForcibly();
                        child.waitFor(5, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    child.destroyForcibly();
                }
            }
            try {
                Files.deleteIfExists(log);
            } catch (IOException ignored) {
                // a temporary file
            }
        }
    }

    /**
     * One idle step of a spinning side: {@link Thread#onSpinWait()}, and every
     * {@value #YIELD_MASK}+1-th time {@link Thread#yield()}, so a descheduled peer on a busy
     * two-core machine gets the core back soon.
     *
     * @param polls the caller's count of idle steps so far
     */
    static void idle(int polls) {
        if ((polls & YIELD_MASK) == 0) {
            Thread.yield();
        } else {
            Thread.onSpinWait();
        }
    }

    /** Writes the index and the marks of message {@code index} (same places as {@link UdsThroughput}). */
    static void stamp(MemorySegment frame, long index, int bytes) {
        frame.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, index);
        if (bytes >= 24) {
            long mark = UdsThroughput.mark(index);
            frame.set(ValueLayout.JAVA_LONG_UNALIGNED, bytes / 2 & ~7, mark);
            frame.set(ValueLayout.JAVA_LONG_UNALIGNED, bytes - Long.BYTES, mark);
        }
    }

    /**
     * Checks message {@code index} as the child copied it.
     *
     * @return its mark
     * @throws IpcException CORRUPT when the size, index or marks are wrong
     */
    static long check(MemorySegment copy, int length, long index, int bytes) {
        long mark = UdsThroughput.mark(index);
        if (length != bytes || copy.get(ValueLayout.JAVA_LONG_UNALIGNED, 0) != index
                || (bytes >= 24 && (copy.get(ValueLayout.JAVA_LONG_UNALIGNED, bytes / 2 & ~7) != mark
                || copy.get(ValueLayout.JAVA_LONG_UNALIGNED, bytes - Long.BYTES) != mark))) {
            throw new IpcException(IpcException.Reason.CORRUPT, "message " + index + " is wrong (" + length
                    + " bytes, index field " + (length >= 8 ? copy.get(ValueLayout.JAVA_LONG_UNALIGNED, 0) : -1) + ")");
        }
        return mark;
    }

    private static void awaitConsumer(OneToOneRing ring, Process child, long limit, Path log) {
        long start = System.nanoTime();
        while (ring.consumerHeartbeatTime() == 0) {
            if (!child.isAlive()) {
                throw died(child, log);
            }
            if (System.nanoTime() - start > limit) {
                throw stalled(child, "the child JVM did not start reading", Duration.ofNanos(limit), log);
            }
            sleep();
        }
    }

    private static long[] awaitAck(OneToOneRing acks, Process child, long limit, Path log) {
        long[] ack = {-1, -1};
        long start = System.nanoTime();
        int polls = 0;
        while (acks.read((type, buf, off, len) -> {
            if (len == 16) {
                ack[0] = buf.get(ValueLayout.JAVA_LONG_UNALIGNED, off);
                ack[1] = buf.get(ValueLayout.JAVA_LONG_UNALIGNED, off + 8);
            }
        }, 1) == 0) {
            Thread.onSpinWait();
            if ((++polls & CHECK_MASK) == 0) {
                if (!child.isAlive() && acks.size() == 0) {
                    throw died(child, log);
                }
                if (System.nanoTime() - start > limit) {
                    throw stalled(child, "no answer from the child JVM", Duration.ofNanos(limit), log);
                }
            }
        }
        return ack;
    }

    private static void sleep() {
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IpcException(IpcException.Reason.TIMEOUT, NAME + " throughput: interrupted", e);
        }
    }

    private static IpcException stalled(Process child, String what, Duration timeout, Path log) {
        child.destroyForcibly();
        return new IpcException(IpcException.Reason.TIMEOUT, NAME + " throughput: " + what + " for "
                + timeout.toMillis() + " ms" + childSaid(log));
    }

    private static IpcException died(Process child, Path log) {
        try {
            child.waitFor(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new IpcException(IpcException.Reason.PEER_CLOSED, NAME + " throughput: the child JVM (pid "
                + child.pid() + ") died" + childSaid(log));
    }

    private static String childSaid(Path log) {
        try {
            for (String line : Files.readString(log, StandardCharsets.UTF_8).strip().lines().toList().reversed()) {
                if (line.startsWith(UdsThroughput.CHILD_ERROR_PREFIX)) {
                    return "; child said: " + line;
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // no log
        }
        return "";
    }
}

package io.ipc4j.benchmarks.throughput;

import io.ipc4j.IpcException;

import java.time.Duration;
import java.util.List;

/**
 * The streaming throughput transports by name: {@value RingThroughput#NAME}
 * ({@link RingThroughput}, copies through a shared-memory ring) and {@code uds}
 * ({@link UdsThroughput}, ipc4j frames over a Unix domain socket).
 */
public final class Throughputs {
    /** Transport names, fastest first. */
    public static final List<String> NAMES = List.of(RingThroughput.NAME, "uds");
    /** Bytes one run moves by default ({@link #defaultMessages}). */
    public static final long DEFAULT_VOLUME = 512L << 20;

    private Throughputs() {
    }

    /**
     * The measured message count used when none is given: enough for {@value #DEFAULT_VOLUME}
     * bytes, between 2,000 and 1,000,000 messages.
     *
     * @param messageBytes payload bytes per message, &gt; 0
     * @return the count
     */
    public static long defaultMessages(int messageBytes) {
        return Math.clamp(DEFAULT_VOLUME / Math.max(1, messageBytes), 2_000L, 1_000_000L);
    }

    /**
     * @param transport    a name from {@link #NAMES}
     * @return the largest message that transport streams, in bytes
     */
    public static int maxMessage(String transport) {
        return switch (check(transport)) {
            case RingThroughput.NAME -> RingThroughput.MAX_MESSAGE;
            default -> 256 << 20;
        };
    }

    /**
     * Runs one transport.
     *
     * @param transport    a name from {@link #NAMES}
     * @param messageBytes payload bytes per message (at least 8, at most {@link #maxMessage})
     * @param frames       measured messages
     * @param warmup       messages before the clock starts
     * @param timeout      the longest the run may go without progress
     * @return the result
     * @throws IpcException INVALID_ARGUMENT for an unknown transport or bad numbers, or what the run throws
     */
    public static ThroughputResult run(String transport, int messageBytes, long frames, long warmup, Duration timeout) {
        return switch (check(transport)) {
            case RingThroughput.NAME -> RingThroughput.run(messageBytes, frames, warmup, timeout);
            default -> UdsThroughput.run(messageBytes, frames, warmup, timeout);
        };
    }

    private static String check(String transport) {
        if (!NAMES.contains(transport)) {
            throw new IpcException(IpcException.Reason.INVALID_ARGUMENT, "unknown throughput transport '" + transport
                    + "' (known: " + String.join(", ", NAMES) + ")");
        }
        return transport;
    }
}

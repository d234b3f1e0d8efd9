package io.ipc4j.benchmarks.latency;

import io.ipc4j.IpcException;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link LatencyHarness} run does. Validated on construction.
 *
 * @param transport       transport name (see {@link Transports})
 * @param messages        measured round trips, &gt;= 1
 * @param warmup          round trips before measuring (not recorded), &gt;= 0
 * @param payloadSize     payload bytes per direction per message, &gt;= 0
 * @param timeout         the longest any single wait for an echo may take
 * @param startupTimeout  the longest wait for the child JVM to start and connect
 * @param childJvmOptions extra options for the child JVM (e.g. {@code -Xmx64m})
 * @param rate            messages per second for a fixed-rate run (see {@link LatencyHarness}), or 0 for
 *                        back-to-back round trips (the maximum rate)
 */
public record LatencyOptions(String transport, long messages, long warmup, int payloadSize, Duration timeout,
                             Duration startupTimeout, List<String> childJvmOptions, double rate) {
    /** Default measured round trips. */
    public static final long DEFAULT_MESSAGES = 100_000;
    /** Upper bound of the default warm-up ({@link #defaultWarmup(long)}). */
    public static final long DEFAULT_WARMUP = 10_000;
    /** Highest accepted {@link #rate()}: one message per nanosecond. */
    public static final double MAX_RATE = 1e9;
    /** Default payload bytes. */
    public static final int DEFAULT_SIZE = 64;
    /** Default wait bound for one echo. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** Default wait bound for the child to start. */
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(30);
    /** Default child JVM options: a small heap and a single-threaded collector (2-core machines). */
    public static final List<String> DEFAULT_CHILD_JVM_OPTIONS = List.of("-Xms16m", "-Xmx64m", "-XX:+UseSerialGC");

    /** Validates the options. */
    public LatencyOptions {
        Objects.requireNonNull(transport, "transport");
        if (messages < 1) {
            throw invalid("messages must be >= 1, was " + messages);
        }
        if (warmup < 0) {
            throw invalid("warmup must be >= 0, was " + warmup);
        }
        if (messages > Long.MAX_VALUE / 4 - warmup) {
            throw invalid("messages + warmup is too large");
        }
        if (payloadSize < 0) {
            throw invalid("size must be >= 0, was " + payloadSize);
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw invalid("timeout must be > 0, was " + timeout);
        }
        if (startupTimeout == null || startupTimeout.isNegative() || startupTimeout.isZero()) {
            throw invalid("startup timeout must be > 0, was " + startupTimeout);
        }
        childJvmOptions = List.copyOf(childJvmOptions);
        if (!(rate >= 0 && rate <= MAX_RATE)) {
            throw invalid("rate must be 0 (maximum rate) or in (0, 1e9] messages/s, was " + rate);
        }
    }

    /**
     * Options as before fixed-rate runs existed: back-to-back round trips.
     *
     * @param transport       transport name
     * @param messages        measured round trips
     * @param warmup          unrecorded round trips first
     * @param payloadSize     payload bytes per direction
     * @param timeout         wait bound for one echo
     * @param startupTimeout  wait bound for the child to start
     * @param childJvmOptions extra child JVM options
     */
    public LatencyOptions(String transport, long messages, long warmup, int payloadSize, Duration timeout,
                          Duration startupTimeout, List<String> childJvmOptions) {
        this(transport, messages, warmup, payloadSize, timeout, startupTimeout, childJvmOptions, 0);
    }

    /**
     * The warm-up used when none is given: 10% of the measured messages, at most
     * {@link #DEFAULT_WARMUP}.
     *
     * @param messages measured round trips
     * @return {@code min(messages / 10, 10_000)}
     */
    public static long defaultWarmup(long messages) {
        return Math.min(Math.max(0, messages / 10), DEFAULT_WARMUP);
    }

    /** @return true when this is a fixed-rate run ({@link #rate()} &gt; 0) */
    public boolean fixedRate() {
        return rate > 0;
    }

    /**
     * @param transport transport name
     * @return the defaults for that transport
     */
    public static LatencyOptions of(String transport) {
        return new LatencyOptions(transport, DEFAULT_MESSAGES, defaultWarmup(DEFAULT_MESSAGES), DEFAULT_SIZE,
                DEFAULT_TIMEOUT, DEFAULT_STARTUP_TIMEOUT, DEFAULT_CHILD_JVM_OPTIONS, 0);
    }

    /**
     * @param n measured round trips
     * @return a copy with {@code messages = n}
     */
    public LatencyOptions withMessages(long n) {
        return new LatencyOptions(transport, n, warmup, payloadSize, timeout, startupTimeout, childJvmOptions, rate);
    }

    /**
     * @param n warm-up round trips
     * @return a copy with {@code warmup = n}
     */
    public LatencyOptions withWarmup(long n) {
        return new LatencyOptions(transport, messages, n, payloadSize, timeout, startupTimeout, childJvmOptions, rate);
    }

    /**
     * @param bytes payload bytes per direction
     * @return a copy with {@code payloadSize = bytes}
     */
    public LatencyOptions withPayloadSize(int bytes) {
        return new LatencyOptions(transport, messages, warmup, bytes, timeout, startupTimeout, childJvmOptions, rate);
    }

    /**
     * @param t wait bound for one echo
     * @return a copy with {@code timeout = t}
     */
    public LatencyOptions withTimeout(Duration t) {
        return new LatencyOptions(transport, messages, warmup, payloadSize, t, startupTimeout, childJvmOptions, rate);
    }

    /**
     * @param messagesPerSecond 0 for back-to-back round trips, otherwise the fixed send rate
     * @return a copy with {@code rate = messagesPerSecond}
     */
    public LatencyOptions withRate(double messagesPerSecond) {
        return new LatencyOptions(transport, messages, warmup, payloadSize, timeout, startupTimeout, childJvmOptions,
                messagesPerSecond);
    }

    /**
     * @param name transport name
     * @return a copy for another transport (everything else the same)
     */
    public LatencyOptions withTransport(String name) {
        return new LatencyOptions(name, messages, warmup, payloadSize, timeout, startupTimeout, childJvmOptions, rate);
    }

    /**
     * @param options extra options for the child JVM
     * @return a copy with {@code childJvmOptions = options}
     */
    public LatencyOptions withChildJvmOptions(List<String> options) {
        return new LatencyOptions(transport, messages, warmup, payloadSize, timeout, startupTimeout, options, rate);
    }

    private static IpcException invalid(String message) {
        return new IpcException(IpcException.Reason.INVALID_ARGUMENT, "latency benchmark: " + message);
    }
}

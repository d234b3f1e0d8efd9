package io.ipc4j.benchmarks.latency;

import io.ipc4j.IpcException;
import org.HdrHistogram.Histogram;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The send schedule of a fixed-rate latency run, with correction for coordinated omission.
 *
 * <p>Message {@code i} (0, 1, 2, ...) is <i>intended</i> to be sent at {@code start + i / rate}.
 * One message is in flight at a time: the sender waits until the intended time (or not at all when
 * the previous round trip overran it), sends, and waits for the echo. Each message yields two
 * latencies:
 *
 * <ul>
 *   <li><b>corrected</b> = echo time &minus; <i>intended</i> send time: what a client sending at
 *       this rate would see. A stall is charged to every message that should have gone out during
 *       it (HdrHistogram's "intended start time" approach), so a 100 ms hiccup at 1000 msg/s shows
 *       up as ~100 slow messages, not one.</li>
 *   <li><b>uncorrected</b> = echo time &minus; <i>actual</i> send time: the service time alone,
 *       which hides the stall behind the one message that suffered it.</li>
 * </ul>
 *
 * <p>The clock is pluggable ({@link Clock}) so the arithmetic can be checked on a synthetic
 * schedule; {@link #systemClock()} parks for long gaps and spins only for the last
 * {@link #SPIN_NANOS} before a send (one spinning thread, the sender's).
 */
public final class FixedRateSchedule {
    /** Remaining wait below which {@link #systemClock()} spins instead of parking. */
    public static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

    private final double rate;
    private final double nanosPerMessage;

    /**
     * @param messagesPerSecond the send rate, in (0, {@link LatencyOptions#MAX_RATE}]
     * @throws IpcException INVALID_ARGUMENT for a rate outside that range
     */
    public FixedRateSchedule(double messagesPerSecond) {
        if (!(messagesPerSecond > 0 && messagesPerSecond <= LatencyOptions.MAX_RATE)) {
            throw new IpcException(IpcException.Reason.INVALID_ARGUMENT,
                    "rate must be in (0, 1e9] messages/s, was " + messagesPerSecond);
        }
        this.rate = messagesPerSecond;
        this.nanosPerMessage = 1e9 / messagesPerSecond;
    }

    /** @return messages per second */
    public double rate() {
        return rate;
    }

    /**
     * @param index message index, &gt;= 0
     * @return nanoseconds from the start of the schedule to message {@code index}'s intended send
     *         (computed from the index, so rounding never accumulates)
     */
    public long intendedOffsetNanos(long index) {
        return (long) (index * nanosPerMessage);
    }

    /** Time as the schedule sees it: {@link System#nanoTime()} in real runs, a counter in tests. */
    public interface Clock {
        /** @return the current time in nanoseconds (arbitrary origin, monotonic) */
        long nanoTime();

        /**
         * Returns at or soon after {@code deadline} (immediately when it has passed).
         *
         * @param deadline a {@link #nanoTime()} value
         */
        void waitUntil(long deadline);
    }

    /** One round trip of the run. */
    @FunctionalInterface
    public interface RoundTrip {
        /**
         * Sends message {@code index} and waits for its echo.
         *
         * @param index 0, 1, 2, ...
         * @return {@link ParentEndpoint.Status#OK}, or why no echo came (ends the run)
         */
        ParentEndpoint.Status run(long index);
    }

    /**
     * The real clock: parks while more than {@link #SPIN_NANOS} remain (timer slack makes a park
     * overshoot by tens of microseconds), then spins with {@link Thread#onSpinWait()}.
     *
     * @return the clock
     */
    public static Clock systemClock() {
        return SystemClock.INSTANCE;
    }

    /**
     * Sends {@code messages} messages on this schedule and records both latencies of each.
     *
     * @param messages    how many, &gt;= 0
     * @param clock       the clock (its current time is the schedule's start)
     * @param roundTrip   performs one round trip
     * @param corrected   receives echo &minus; intended send, in nanoseconds
     * @param uncorrected receives echo &minus; actual send, in nanoseconds
     * @return {@link ParentEndpoint.Status#OK} when every message was echoed, else the first failure
     *         (the failed message is not recorded)
     */
    public ParentEndpoint.Status run(long messages, Clock clock, RoundTrip roundTrip, Histogram corrected,
                                     Histogram uncorrected) {
        Objects.requireNonNull(clock, "clock");
        long highest = Math.min(corrected.getHighestTrackableValue(), uncorrected.getHighestTrackableValue());
        long start = clock.nanoTime();
        for (long i = 0; i < messages; i++) {
            long intended = start + intendedOffsetNanos(i);
            clock.waitUntil(intended);
            long sent = clock.nanoTime();
            ParentEndpoint.Status s = roundTrip.run(i);
            long done = clock.nanoTime();
            if (s != ParentEndpoint.Status.OK) {
                return s;
            }
            corrected.recordValue(Math.min(Math.max(0, done - intended), highest));
            uncorrected.recordValue(Math.min(Math.max(0, done - sent), highest));
        }
        return ParentEndpoint.Status.OK;
    }

    /** {@link System#nanoTime()}; parks for long waits, spins for the last {@link #SPIN_NANOS}. */
    private enum SystemClock implements Clock {
        INSTANCE;

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void waitUntil(long deadline) {
            long left;
            while ((left = deadline - System.nanoTime()) > 0) {
                if (left > SPIN_NANOS) {
                    LockSupport.parkNanos(left - SPIN_NANOS);
                } else {
                    Thread.onSpinWait();
                }
            }
        }
    }
}

package io.ipc4j.benchmarks.latency;

import io.ipc4j.IpcException;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The coordinated-omission arithmetic on a synthetic clock (no real time involved). */
class FixedRateScheduleTest {
    private static final long US = 1_000;
    private static final long MS = 1_000_000;

    /** A clock that only moves when the schedule waits or a round trip "takes" time. */
    private static final class FakeClock implements FixedRateSchedule.Clock {
        long now = 7 * MS; // arbitrary origin
        final List<Long> sendTimes = new ArrayList<>();

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void waitUntil(long deadline) {
            now = Math.max(now, deadline);
        }
    }

    @Test
    void oneStalledMessageIsChargedToEveryMessageItDelayed() {
        // 1000 msg/s: one message due every 1 ms; each round trip takes 10 us, except message 2: 5 ms
        FixedRateSchedule schedule = new FixedRateSchedule(1000);
        FakeClock clock = new FakeClock();
        Histogram corrected = new Histogram(LatencyHarness.HIGHEST_TRACKABLE_NS, 3);
        Histogram uncorrected = new Histogram(LatencyHarness.HIGHEST_TRACKABLE_NS, 3);
        long start = clock.now;

        ParentEndpoint.Status s = schedule.run(10, clock, i -> {
            clock.sendTimes.add(clock.now - start);
            clock.now += i == 2 ? 5 * MS : 10 * US;
            return ParentEndpoint.Status.OK;
        }, corrected, uncorrected);

        assertEquals(ParentEndpoint.Status.OK, s);
        // sends: on time until the stall, then back to back until the schedule is caught up (message 8)
        assertEquals(List.of(0L, MS, 2 * MS, 7 * MS, 7 * MS + 10 * US, 7 * MS + 20 * US, 7 * MS + 30 * US,
                7 * MS + 40 * US, 8 * MS, 9 * MS), clock.sendTimes);
        assertEquals(10, corrected.getTotalCount());
        assertEquals(10, uncorrected.getTotalCount());

        // uncorrected: the stall is one slow message among nine 10 us ones
        assertEquals(9, uncorrected.getCountBetweenValues(10 * US, 10 * US));
        assertEquals(1, count(uncorrected, MS, 60_000 * MS));

        // corrected: messages 3..6 waited for the stall too: 4.01, 3.02, 2.03, 1.04 ms; message 7: 50 us
        assertEquals(5, count(corrected, MS, 60_000 * MS));
        for (long v : new long[]{5 * MS, 4 * MS + 10 * US, 3 * MS + 20 * US, 2 * MS + 30 * US, MS + 40 * US, 50 * US}) {
            assertEquals(1, corrected.getCountAtValue(v), "one message of " + v + " ns");
        }
        assertEquals(4, corrected.getCountBetweenValues(10 * US, 10 * US));
        assertTrue(corrected.valuesAreEquivalent(5 * MS, corrected.getMaxValue()));
        assertTrue(corrected.getValueAtPercentile(50) > uncorrected.getValueAtPercentile(50));
    }

    private static long count(Histogram h, long lowNs, long highNs) {
        return h.getCountBetweenValues(lowNs, highNs);
    }

    @Test
    void failureEndsTheRunWithoutRecordingTheFailedMessage() {
        FakeClock clock = new FakeClock();
        Histogram c = new Histogram(3);
        Histogram u = new Histogram(3);
        ParentEndpoint.Status s = new FixedRateSchedule(100).run(10, clock, i -> {
            clock.now += US;
            return i == 4 ? ParentEndpoint.Status.PEER_DEAD : ParentEndpoint.Status.OK;
        }, c, u);
        assertEquals(ParentEndpoint.Status.PEER_DEAD, s);
        assertEquals(4, c.getTotalCount());
        assertEquals(4, u.getTotalCount());
    }

    @Test
    void intendedTimesDoNotDrift() {
        FixedRateSchedule s = new FixedRateSchedule(3); // 333,333,333.3... ns apart
        assertEquals(0, s.intendedOffsetNanos(0));
        assertEquals(333_333_333, s.intendedOffsetNanos(1));
        assertEquals(1_000_000_000, s.intendedOffsetNanos(3));
        assertEquals(1_000_000_000_000L, s.intendedOffsetNanos(3000));
    }

    @Test
    void systemClockWaitsUntilTheDeadline() {
        FixedRateSchedule.Clock clock = FixedRateSchedule.systemClock();
        long deadline = clock.nanoTime() + 300 * US; // parks, then spins the last 100 us
        clock.waitUntil(deadline);
        assertTrue(clock.nanoTime() >= deadline);
        long past = clock.nanoTime() - MS;
        clock.waitUntil(past); // returns at once
    }

    @Test
    void rejectsBadRates() {
        assertThrows(IpcException.class, () -> new FixedRateSchedule(0));
        assertThrows(IpcException.class, () -> new FixedRateSchedule(Double.NaN));
        assertThrows(IpcException.class, () -> LatencyOptions.of("spin").withRate(-1));
        assertEquals(0, LatencyOptions.of("spin").rate());
        assertEquals(100, LatencyOptions.defaultWarmup(1000));
        assertEquals(10_000, LatencyOptions.defaultWarmup(1_000_000));
        assertEquals(0, LatencyOptions.defaultWarmup(5));
    }
}

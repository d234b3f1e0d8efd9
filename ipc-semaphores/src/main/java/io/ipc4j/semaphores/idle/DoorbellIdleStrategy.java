package io.ipc4j.semaphores.idle;

import io.ipc4j.semaphores.futex.FutexEvent;
import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.TimeUnit;

/**
 * An Agrona {@link IdleStrategy} that busy-spins for a while, then yields, then parks on a
 * {@link FutexEvent} doorbell until a producer rings it ({@link FutexEvent#signal()}).
 *
 * <p>Use from a single consumer thread in the usual duty-cycle shape:
 * <pre>{@code
 * IdleStrategy idle = new DoorbellIdleStrategy(doorbell);
 * while (running) {
 *     idle.idle(ring.read(handler));     // 0 work: spin, yield, then sleep on the doorbell
 * }
 * // producer: ring.write(...); doorbell.signal();   // no syscall unless the consumer sleeps
 * }</pre>
 *
 * <p>No wake-up is lost: each {@code idle()} call ends by reading the doorbell's sequence, before
 * the caller polls again, and a park waits only while the sequence still has that value. A
 * producer that publishes and then signals after the read moves the sequence, so the park
 * returns at once.
 *
 * <p>Spinning burns a core: on a machine with fewer cores than spinning threads, set
 * {@code maxSpins} low (or 0). Not thread-safe: one instance per consumer thread.
 */
public final class DoorbellIdleStrategy implements IdleStrategy {
    /** Default spins before yielding ({@code ipc4j.idle.spins}). */
    public static final long DEFAULT_SPINS = Long.getLong("ipc4j.idle.spins", 10_000L);
    /** Default yields before parking ({@code ipc4j.idle.yields}). */
    public static final long DEFAULT_YIELDS = Long.getLong("ipc4j.idle.yields", 100L);
    /** Default longest single park in nanoseconds ({@code ipc4j.idle.parkMillis}, 1 s). */
    public static final long DEFAULT_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(Long.getLong("ipc4j.idle.parkMillis", 1000L));

    private static final int NOT_IDLE = 0;
    private static final int SPINNING = 1;
    private static final int YIELDING = 2;
    private static final int PARKING = 3;

    private final FutexEvent doorbell;
    private final long maxSpins;
    private final long maxYields;
    private final long parkNanos;
    private int state = NOT_IDLE;
    private long spins;
    private long yields;
    private int seenSequence;
    private long parks;

    /**
     * With the default budgets.
     *
     * @param doorbell the event producers signal
     */
    public DoorbellIdleStrategy(FutexEvent doorbell) {
        this(doorbell, DEFAULT_SPINS, DEFAULT_YIELDS, DEFAULT_PARK_NANOS);
    }

    /**
     * @param doorbell  the event producers signal
     * @param maxSpins  busy-spins before yielding (0 to skip)
     * @param maxYields yields before parking (0 to skip)
     * @param parkNanos longest single park; the caller re-polls after it
     */
    public DoorbellIdleStrategy(FutexEvent doorbell, long maxSpins, long maxYields, long parkNanos) {
        if (maxSpins < 0 || maxYields < 0 || parkNanos <= 0) {
            throw new IllegalArgumentException("spins and yields must be >= 0 and parkNanos > 0");
        }
        this.doorbell = doorbell;
        this.maxSpins = maxSpins;
        this.maxYields = maxYields;
        this.parkNanos = parkNanos;
        this.seenSequence = doorbell.sequence();
    }

    @Override
    public void idle(int workCount) {
        if (workCount > 0) {
            reset();
        } else {
            idle();
        }
    }

    @Override
    public void idle() {
        switch (state) {
            case NOT_IDLE:
                state = SPINNING;
                spins = 0;
                // fall through
            case SPINNING:
                if (spins++ < maxSpins) {
                    Thread.onSpinWait();
                    break;
                }
                state = YIELDING;
                yields = 0;
                // fall through
            case YIELDING:
                if (yields++ < maxYields) {
                    Thread.yield();
                    break;
                }
                state = PARKING;
                // fall through
            default:
                park();
                break;
        }
        seenSequence = doorbell.sequence();
    }

    private void park() {
        parks++;
        try {
            if (doorbell.await(seenSequence, parkNanos, TimeUnit.NANOSECONDS)) {
                // rung: poll eagerly again before sleeping
                state = NOT_IDLE;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void reset() {
        state = NOT_IDLE;
        seenSequence = doorbell.sequence();
    }

    /** @return how many times this strategy parked (for tests and statistics) */
    public long parkCount() {
        return parks;
    }

    @Override
    public String alias() {
        return "doorbell";
    }
}

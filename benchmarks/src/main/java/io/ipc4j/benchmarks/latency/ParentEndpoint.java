package io.ipc4j.benchmarks.latency;

import java.time.Duration;
import java.util.List;

/**
 * The parent's end of a {@link Transport}: hands the child its connection arguments, waits for
 * it to be ready, then performs round trips one at a time.
 *
 * <p>Threading: one thread calls {@link #awaitReady}, {@link #roundTrip} and {@link #stop};
 * {@link #close()} may be called from any thread (a shutdown hook), more than once.
 */
public interface ParentEndpoint extends AutoCloseable {
    /** Outcome of one {@link #roundTrip}: the hot path returns a status instead of throwing. */
    enum Status {
        /** The echo arrived. */
        OK,
        /** No echo within the endpoint's timeout. */
        TIMED_OUT,
        /** The child went away while waiting. */
        PEER_DEAD
    }

    /** @return the arguments the child's {@link Transport#runChild} needs to connect */
    List<String> childArgs();

    /**
     * Called by the harness once the child JVM has been started, before {@link #awaitReady}.
     * Transports whose {@link Transport#usesChildStdio()} is true take the child's standard
     * streams from {@code child} here; the default does nothing.
     *
     * @param child the started child process
     */
    default void attachChild(Process child) {
    }

    /**
     * Waits until the child has connected and is ready to echo, polling gently (the child JVM is
     * still starting and needs the CPU). Remembers {@code child} for later round trips.
     *
     * @param child          the child's liveness
     * @param startupTimeout the longest wait
     * @throws io.ipc4j.IpcException TIMEOUT when the child is not ready in time, PEER_CLOSED when
     *                               it died first
     */
    void awaitReady(Peer child, Duration startupTimeout);

    /**
     * Sends one message carrying {@code sequence} and the payload, and waits for its echo.
     *
     * @param sequence a value &gt; 0, increasing by one per call
     * @return {@link Status#OK}, or why no echo came
     */
    Status roundTrip(long sequence);

    /** Tells the child to exit (best effort; does not wait). */
    void stop();

    /** Releases everything the endpoint created. Idempotent; callable from any thread. */
    @Override
    void close();
}

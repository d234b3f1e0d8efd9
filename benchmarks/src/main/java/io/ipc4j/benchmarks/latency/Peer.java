package io.ipc4j.benchmarks.latency;

/**
 * The other side of a latency run, as far as liveness goes: the child JVM seen from the parent,
 * or the parent seen from the child. Waits poll {@link #isAlive()} every few thousand spins so a
 * dead peer ends a wait instead of hanging it.
 */
public interface Peer {
    /** @return true while the peer process runs */
    boolean isAlive();

    /** @return a short description for error messages, e.g. {@code "child JVM (pid 1234)"} */
    String description();
}

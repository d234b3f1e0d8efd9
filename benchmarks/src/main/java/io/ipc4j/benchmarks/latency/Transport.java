package io.ipc4j.benchmarks.latency;

import java.time.Duration;
import java.util.List;

/**
 * A way to carry a message from this JVM to a child JVM and back, measured by
 * {@link LatencyHarness}. An implementation is a stateless factory with two sides:
 *
 * <ul>
 *   <li>the parent side, {@link #openParent}, creates the shared resources (segment, FIFO,
 *       socket, ...) and returns a {@link ParentEndpoint} that sends and awaits the echo;</li>
 *   <li>the child side, {@link #runChild}, runs in the spawned JVM ({@link ChildMain}): it
 *       connects with the arguments the parent endpoint handed over
 *       ({@link ParentEndpoint#childArgs()}), signals readiness, echoes every message until the
 *       parent's stop message and returns.</li>
 * </ul>
 *
 * <p>Implementations are registered by name in {@link Transports}. Exactly one thread per JVM
 * may wait actively (spin): the machine this runs on may have only two cores.
 */
public interface Transport {
    /** @return the name used on the command line, e.g. {@code "spin"} */
    String name();

    /** @return a one-line description for help output */
    String description();

    /**
     * Parent side: creates the resources the child connects to. The caller closes the endpoint,
     * also on failure; it must release everything it created (e.g. unlink segments).
     *
     * @param payloadSize bytes carried in each direction per message, &gt;= 0
     * @param timeout     the longest any single wait may take before failing
     * @return the parent's endpoint
     * @throws io.ipc4j.IpcException when the resources cannot be created
     */
    ParentEndpoint openParent(int payloadSize, Duration timeout);

    /**
     * Child side: connects, signals readiness, echoes messages until told to stop, then
     * returns. Every wait is bounded by {@code parent}'s liveness and {@code idleTimeout}.
     *
     * @param args        the parent endpoint's {@link ParentEndpoint#childArgs()}
     * @param parent      the parent's liveness
     * @param idleTimeout the longest wait for the next message before giving up
     * @throws io.ipc4j.IpcException when connecting fails, the parent dies or stays silent
     */
    void runChild(List<String> args, Peer parent, Duration idleTimeout);

    /**
     * Whether this transport talks to the child over the child's standard input and output (an
     * anonymous pipe each way). If so, the harness starts the child with both redirected to pipes
     * instead of {@code /dev/null} and a log file (the child's diagnostics then go to stderr only),
     * and hands the started {@link Process} to {@link ParentEndpoint#attachChild}.
     *
     * @return true for stdio transports; false (the default) otherwise
     */
    default boolean usesChildStdio() {
        return false;
    }

    /**
     * The largest payload this transport carries per message and direction. The harness refuses
     * larger sizes up front with a one-line error naming this maximum.
     *
     * @return bytes; the default is 256 MiB (what the built-in transports support)
     */
    default int maxPayloadSize() {
        return SpinLayout.MAX_PAYLOAD;
    }

    /**
     * JVM options every JVM running this transport needs, e.g. {@code --add-opens} for a library
     * that reflects into the JDK. The harness puts them on the child's command line (after the
     * {@link io.ipc4j.process.JvmCommand} defaults, before the user's child options); the parent
     * JVM must have been started with them too (see {@link #needsClassPath()}).
     *
     * @return the options; empty (the default) for every ipc4j transport
     */
    default List<String> jvmOptions() {
        return List.of();
    }

    /**
     * Whether this transport's library must run from the class path: it cannot work as an
     * automatic module (it reflects into the JDK with flags granted to {@code ALL-UNNAMED}, or
     * compiles code at run time against the class path). A launcher running on the module path
     * (the {@code ipc4j} command) runs such a transport's parent side in a class-path JVM started
     * with {@link #jvmOptions()}; its child then runs from the class path too.
     *
     * @return true for such peer libraries; false (the default) otherwise
     */
    default boolean needsClassPath() {
        return false;
    }
}

package io.ipc4j.workerpool;

import sun.misc.Signal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SIGTERM handling for pools started with {@link PoolContext#exitOnSigterm}: the first SIGTERM
 * closes every such pool (drain, stop workers, remove segments) on a new thread, then exits the
 * JVM with status 0. Uses {@code sun.misc.Signal} (module {@code jdk.unsupported}), the only way
 * for Java code to handle a signal.
 */
final class Sigterm {
    private static final Set<WorkerPool> POOLS = ConcurrentHashMap.newKeySet();
    private static boolean installed;

    private Sigterm() {
    }

    static synchronized void closeAndExit(WorkerPool pool) {
        POOLS.add(pool);
        if (!installed) {
            Signal.handle(new Signal("TERM"), s -> Thread.ofPlatform().name("ipc4j-sigterm").start(() -> {
                for (WorkerPool p : POOLS) {
                    p.close();
                }
                Runtime.getRuntime().exit(0);
            }));
            installed = true;
        }
    }

    static void forget(WorkerPool pool) {
        POOLS.remove(pool);
    }
}

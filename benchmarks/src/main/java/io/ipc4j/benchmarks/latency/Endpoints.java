package io.ipc4j.benchmarks.latency;

/** Starting a parent endpoint without leaking what it half-created. */
final class Endpoints {
    private Endpoints() {
    }

    /**
     * Runs {@code open}; if it fails, closes {@code endpoint} (which releases whatever was made:
     * segments, FIFOs, sockets, directories) and rethrows.
     *
     * @param endpoint the endpoint being opened
     * @param open     its opening step
     * @param <E>      its type
     * @return {@code endpoint}, open
     */
    static <E extends ParentEndpoint> E opened(E endpoint, Runnable open) {
        try {
            open.run();
            return endpoint;
        } catch (RuntimeException | Error e) { // also a library that fails to link: never leave anything behind
            endpoint.close();
            throw e;
        }
    }
}

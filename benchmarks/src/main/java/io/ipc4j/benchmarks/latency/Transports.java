package io.ipc4j.benchmarks.latency;

import io.ipc4j.IpcException;

import java.util.List;

/**
 * The registry of transports by name. Adding a transport means adding its instance to
 * {@link #ALL}; the CLI lists and completes names from here.
 */
public final class Transports {
    /** Every transport, in the order they are listed for people. */
    private static final List<Transport> ALL = List.of(new SpinTransport(), SpinTransport.floor(), DoorbellTransport.hybrid(),
            DoorbellTransport.futex(), new PosixSemTransport(), new FifoTransport(), StreamTransport.pipe(),
            StreamTransport.uds(), StreamTransport.tcp(), StreamTransport.udsRaw(), StreamTransport.pipeRaw(),
            new AeronTransport(), new ChronicleTransport(), new JavaSerializationTransport());

    private Transports() {
    }

    /** @return every registered transport */
    public static List<Transport> all() {
        return ALL;
    }

    /** @return the names of every registered transport */
    public static List<String> names() {
        return ALL.stream().map(Transport::name).toList();
    }

    /**
     * @param name a transport name
     * @return the transport
     * @throws IpcException INVALID_ARGUMENT naming the known transports when there is none by that name
     */
    public static Transport byName(String name) {
        for (Transport t : ALL) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        throw new IpcException(IpcException.Reason.INVALID_ARGUMENT,
                "unknown transport '" + name + "' (known: " + String.join(", ", names()) + ")");
    }
}

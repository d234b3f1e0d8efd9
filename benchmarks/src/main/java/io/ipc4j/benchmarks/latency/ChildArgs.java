package io.ipc4j.benchmarks.latency;

import io.ipc4j.IpcException;

import java.util.List;

/** Checks of the arguments a parent endpoint hands to a transport's child side. */
final class ChildArgs {
    private ChildArgs() {
    }

    /**
     * @param transport the transport's name (for messages)
     * @param args      the child's arguments
     * @param names     what each argument is, in order
     * @throws IpcException INVALID_ARGUMENT when the count differs
     */
    static void expect(String transport, List<String> args, String... names) {
        if (args.size() != names.length) {
            throw new IpcException(IpcException.Reason.INVALID_ARGUMENT, transport + " child: expected " + names.length
                    + " argument(s) (" + String.join(", ", names) + "), got " + args);
        }
    }

    /**
     * @param transport the transport's name (for messages)
     * @param args      the child's arguments
     * @param index     which one is a size
     * @param what      what the size is ("message size", ...)
     * @param min       smallest valid value
     * @param max       largest valid value
     * @return the size
     * @throws IpcException INVALID_ARGUMENT when it is not a number in {@code [min, max]}
     */
    static int size(String transport, List<String> args, int index, String what, int min, int max) {
        int v;
        try {
            v = Integer.parseInt(args.get(index));
        } catch (NumberFormatException e) {
            throw new IpcException(IpcException.Reason.INVALID_ARGUMENT, transport + " child: bad " + what + " "
                    + args.get(index));
        }
        if (v < min || v > max) {
            throw new IpcException(IpcException.Reason.INVALID_ARGUMENT, transport + " child: " + what + " " + v
                    + " outside " + min + ".." + max);
        }
        return v;
    }
}

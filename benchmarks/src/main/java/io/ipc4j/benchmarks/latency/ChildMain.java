package io.ipc4j.benchmarks.latency;

import io.ipc4j.posix.PosixProcess;

import java.time.Duration;
import java.util.List;

/**
 * The child JVM of a {@link LatencyHarness} run: {@code ChildMain TRANSPORT PARENT_PID TIMEOUT_MS
 * [TRANSPORT_ARGS...]}. It arranges to be killed when its parent dies, makes sure the parent is
 * still the one that spawned it, then runs the transport's echo loop
 * ({@link Transport#runChild}). For transports that use the child's standard streams
 * ({@link Transport#usesChildStdio()}), {@code System.out} is redirected to stderr first. Exit codes: 0 after the stop message, 1 on any failure (one line
 * on stderr), 2 on bad arguments, 3 when the parent was already gone.
 */
public final class ChildMain {
    /** Prefix of the child's one-line error messages (the parent quotes that line). */
    static final String ERROR_PREFIX = "ipc4j latency child: ";

    private ChildMain() {
    }

    /**
     * Entry point of the child JVM.
     *
     * @param args {@code TRANSPORT PARENT_PID TIMEOUT_MS [TRANSPORT_ARGS...]}
     */
    public static void main(String[] args) {
        if (args.length < 3) {
            System.err.println(ERROR_PREFIX + "usage: ChildMain TRANSPORT PARENT_PID TIMEOUT_MS [ARGS...]");
            System.exit(2);
        }
        int parentPid;
        Duration timeout;
        try {
            parentPid = Integer.parseInt(args[1]);
            timeout = Duration.ofMillis(Long.parseLong(args[2]));
        } catch (NumberFormatException e) {
            System.err.println(ERROR_PREFIX + "bad PARENT_PID or TIMEOUT_MS: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            PosixProcess.setParentDeathSignal(PosixProcess.SIGKILL);
            if (PosixProcess.getppid() != parentPid) {
                System.err.println(ERROR_PREFIX + "parent " + parentPid + " is already gone");
                System.exit(3);
            }
            Transport transport = Transports.byName(args[0]);
            if (transport.usesChildStdio()) {
                // stdout is the transport's channel (file descriptor 1): keep every print off it
                System.setOut(System.err);
            }
            Peer parent = new Peer() {
                @Override
                public boolean isAlive() {
                    return PosixProcess.getppid() == parentPid;
                }

                @Override
                public String description() {
                    return "parent JVM (pid " + parentPid + ")";
                }
            };
            transport.runChild(List.of(args).subList(3, args.length), parent, timeout);
        } catch (RuntimeException e) {
            System.err.println(ERROR_PREFIX + e.getMessage());
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }
}

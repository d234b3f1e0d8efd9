package io.ipc4j.process;

import io.ipc4j.IpcException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A process named by its pid and its start time in clock ticks since boot (field 22 of
 * {@code /proc/PID/stat}). Pids are reused; the pair is not, so "is the creator of this
 * segment still alive?" is answered by comparing both.
 *
 * @param pid        process id
 * @param startTicks start time in clock ticks after boot
 */
public record ProcessIdentity(long pid, long startTicks) {
    private static final ProcessIdentity CURRENT = of(ProcessHandle.current().pid())
            .orElseThrow(() -> new IllegalStateException("cannot read /proc/self/stat"));

    /** @return this process */
    public static ProcessIdentity current() {
        return CURRENT;
    }

    /**
     * @param pid a process id
     * @return the identity of the process running under that pid now, empty if none (or a zombie)
     */
    public static Optional<ProcessIdentity> of(long pid) {
        if (pid <= 0) {
            return Optional.empty();
        }
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new IpcException(IpcException.Reason.OS_ERROR, "read /proc/" + pid + "/stat: " + e.getMessage(), e);
        }
        // "pid (comm) S ppid ...": comm may hold spaces and parentheses, so split after the last ')'.
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            return Optional.empty();
        }
        String[] f = stat.substring(close + 2).split(" ");
        // f[0] is field 3 (state); field 22 (starttime) is f[19]
        if (f.length < 20 || f[0].equals("Z") || f[0].equals("X")) {
            return Optional.empty();
        }
        return Optional.of(new ProcessIdentity(pid, Long.parseLong(f[19])));
    }

    /** @return true when a process with this pid runs now and started at the same tick */
    public boolean isAlive() {
        return of(pid).map(p -> p.startTicks == startTicks).orElse(false);
    }
}

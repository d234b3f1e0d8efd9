package io.ipc4j.pipes.fdpass;

import io.ipc4j.IpcException;
import io.ipc4j.posix.PosixFiles;

import java.util.Arrays;

/**
 * The descriptors that arrived with one message. They are open in this process and owned by this
 * object until claimed: {@link #claim(int)} hands one over to the caller (who must close it, or
 * pass ownership on, e.g. to {@code MemfdSegment.fromFd}); {@link #close()} closes every
 * descriptor not claimed. Not thread-safe.
 */
public final class ReceivedFds implements AutoCloseable {
    private final int[] fds;
    private final boolean[] claimed;
    private boolean closed;

    ReceivedFds(int[] fds) {
        this.fds = fds.clone();
        this.claimed = new boolean[fds.length];
    }

    /** @return how many descriptors arrived */
    public int count() {
        return fds.length;
    }

    /** @return true when no descriptors arrived */
    public boolean isEmpty() {
        return fds.length == 0;
    }

    /**
     * Looks at a descriptor without taking it: it stays owned (and closed by {@link #close()}).
     *
     * @param index 0 to {@link #count()} - 1
     * @return the descriptor number
     */
    public int peek(int index) {
        check(index);
        return fds[index];
    }

    /**
     * Takes ownership of one descriptor: {@link #close()} will leave it open.
     *
     * @param index 0 to {@link #count()} - 1
     * @return the descriptor, now the caller's to close
     * @throws IllegalStateException when it was claimed already
     */
    public int claim(int index) {
        check(index);
        if (claimed[index]) {
            throw new IllegalStateException("descriptor #" + index + " (fd " + fds[index] + ") was claimed already");
        }
        claimed[index] = true;
        return fds[index];
    }

    /**
     * Takes ownership of every descriptor not claimed yet.
     *
     * @return those descriptors, in arrival order
     */
    public int[] claimAll() {
        if (closed) {
            throw new IpcException(IpcException.Reason.CLOSED, "received descriptors were closed");
        }
        int[] out = new int[fds.length];
        int n = 0;
        for (int i = 0; i < fds.length; i++) {
            if (!claimed[i]) {
                claimed[i] = true;
                out[n++] = fds[i];
            }
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * @param index 0 to {@link #count()} - 1
     * @return true once claimed
     */
    public boolean isClaimed(int index) {
        if (index < 0 || index >= fds.length) {
            throw new IndexOutOfBoundsException("descriptor #" + index + " of " + fds.length);
        }
        return claimed[index];
    }

    private void check(int index) {
        if (index < 0 || index >= fds.length) {
            throw new IndexOutOfBoundsException("descriptor #" + index + " of " + fds.length + " received");
        }
        if (closed) {
            throw new IpcException(IpcException.Reason.CLOSED, "received descriptors were closed");
        }
    }

    /** Closes every descriptor that was not claimed. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = 0; i < fds.length; i++) {
            if (!claimed[i]) {
                try {
                    PosixFiles.close(fds[i]);
                } catch (RuntimeException ignored) {
                    // close the others regardless
                }
            }
        }
    }

    @Override
    public String toString() {
        return "ReceivedFds" + Arrays.toString(fds) + (closed ? " (closed)" : "");
    }
}

package io.ipc4j.pipes.uds;

import io.ipc4j.IpcException;
import io.ipc4j.posix.UnixAddress;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a Unix domain socket listens: a file system path or a Linux abstract name. The string
 * form is the path, or {@code @} followed by the abstract name. Either holds 1 to
 * {@value io.ipc4j.posix.UnixAddress#MAX_BYTES} bytes of UTF-8 without NUL (validated by, and
 * encoded as, an {@link UnixAddress}).
 */
public final class UdsAddress {
    private final Path path;
    private final String abstractName;
    private final UnixAddress unix;

    /** @throws IpcException INVALID_NAME when empty, too long, or containing NUL */
    private UdsAddress(Path path, String abstractName) {
        this.path = path;
        this.abstractName = abstractName;
        this.unix = path != null ? UnixAddress.path(path) : UnixAddress.abstractName(abstractName);
    }

    /**
     * @param path a socket file path (1 to 107 bytes)
     * @return the address
     */
    public static UdsAddress path(Path path) {
        return new UdsAddress(Objects.requireNonNull(path, "path"), null);
    }

    /**
     * @param name an abstract name without the {@code @} (1 to 107 bytes)
     * @return the address
     */
    public static UdsAddress abstractName(String name) {
        return new UdsAddress(null, Objects.requireNonNull(name, "name"));
    }

    /**
     * @param address {@code "@name"} for an abstract name, otherwise a path
     * @return the address
     */
    public static UdsAddress of(String address) {
        return address.startsWith("@") ? abstractName(address.substring(1)) : path(Path.of(address));
    }

    /** @return true for an abstract name */
    public boolean isAbstract() {
        return abstractName != null;
    }

    /**
     * @return the socket file's path
     * @throws IllegalStateException for an abstract address
     */
    public Path path() {
        if (path == null) {
            throw new IllegalStateException(this + " is an abstract name, not a path");
        }
        return path;
    }

    /**
     * @return the abstract name without {@code @}
     * @throws IllegalStateException for a path address
     */
    public String abstractName() {
        if (abstractName == null) {
            throw new IllegalStateException(this + " is a path, not an abstract name");
        }
        return abstractName;
    }

    /** @return the same address for the FFM socket calls ({@code sockaddr_un} encoding) */
    UnixAddress unixAddress() {
        return unix;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UdsAddress a && Objects.equals(path, a.path) && Objects.equals(abstractName, a.abstractName);
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, abstractName);
    }

    /** @return the path, or {@code @name} */
    @Override
    public String toString() {
        return path != null ? path.toString() : "@" + abstractName;
    }
}

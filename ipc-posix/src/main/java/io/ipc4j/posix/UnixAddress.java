package io.ipc4j.posix;

import io.ipc4j.IpcException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The address of a Unix domain socket: a file-system path, or a Linux abstract name (no file;
 * the name vanishes with the last socket bound to it, and is scoped to the network namespace).
 *
 * <p>Both live in {@code struct sockaddr_un.sun_path} (108 bytes): a path is stored NUL-terminated,
 * so it may have at most {@value #MAX_BYTES} bytes of UTF-8; an abstract name is stored after a
 * leading NUL byte, not terminated, so it too may have at most {@value #MAX_BYTES} bytes.
 *
 * @param name       the path, or the abstract name without its leading NUL
 * @param isAbstract true for a Linux abstract name
 */
public record UnixAddress(String name, boolean isAbstract) {
    /** Most UTF-8 bytes a path or abstract name may have ({@code sizeof(sun_path) - 1}). */
    public static final int MAX_BYTES = 107;

    /**
     * Validates the address.
     *
     * @param name       the path or abstract name
     * @param isAbstract true for an abstract name
     * @throws IpcException INVALID_NAME when empty, too long, or containing a NUL character
     */
    public UnixAddress {
        Objects.requireNonNull(name, "name");
        String kind = isAbstract ? "abstract socket name" : "socket path";
        if (name.isEmpty()) {
            throw new IpcException(IpcException.Reason.INVALID_NAME, kind + " is empty");
        }
        if (name.indexOf('\0') >= 0) {
            throw new IpcException(IpcException.Reason.INVALID_NAME, kind + " '" + name.replace('\0', '?')
                    + "' contains a NUL character");
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            throw new IpcException(IpcException.Reason.INVALID_NAME, kind + " '" + name + "' is " + bytes
                    + " bytes long; struct sockaddr_un holds at most " + MAX_BYTES
                    + (isAbstract ? "" : " (use a shorter directory, e.g. under /tmp or $XDG_RUNTIME_DIR)"));
        }
    }

    /**
     * @param path a file-system path (at most {@value #MAX_BYTES} UTF-8 bytes)
     * @return the address
     */
    public static UnixAddress path(String path) {
        return new UnixAddress(path, false);
    }

    /**
     * @param path a file-system path (at most {@value #MAX_BYTES} UTF-8 bytes)
     * @return the address
     */
    public static UnixAddress path(Path path) {
        return new UnixAddress(path.toString(), false);
    }

    /**
     * @param name an abstract name, without the leading NUL (at most {@value #MAX_BYTES} UTF-8 bytes)
     * @return the address
     */
    public static UnixAddress abstractName(String name) {
        return new UnixAddress(name, true);
    }

    /** @return the bytes that follow {@code sun_family} in {@code sockaddr_un}, without any terminator */
    byte[] nameBytes() {
        return name.getBytes(StandardCharsets.UTF_8);
    }

    /** @return the path, or {@code @name} for an abstract name (the way {@code ss -x} shows it) */
    @Override
    public String toString() {
        return isAbstract ? "@" + name : name;
    }
}

package io.ipc4j.posix;

import io.ipc4j.IpcException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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
 * <p>The string form of an abstract name is {@code @name} (as {@code ss -x} shows it); the
 * {@code @} is not part of the name.
 *
 * @param name       the path, or the abstract name without its leading NUL
 * @param isAbstract true for a Linux abstract name
 */
public record UnixAddress(String name, boolean isAbstract) {
    /** Most UTF-8 bytes a path or abstract name may have ({@code sizeof(sun_path) - 1}). */
    public static final int MAX_BYTES = 107;
    /** {@code sizeof(struct sockaddr_un)}: {@code sa_family_t sun_family} (2 bytes) + {@code char sun_path[108]}. */
    static final int SOCKADDR_UN_SIZE = 110;
    /** {@code offsetof(struct sockaddr_un, sun_path)}. */
    private static final int SUN_PATH_OFFSET = 2;
    private static final short AF_UNIX = 1;

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

    /**
     * Encodes this address as a {@code struct sockaddr_un}: a path NUL-terminated, an abstract
     * name after a leading NUL and not terminated (the returned length ends it).
     *
     * @param sa at least {@link #SOCKADDR_UN_SIZE} writable bytes
     * @return the address length to pass to {@code bind}/{@code connect} ({@code socklen_t})
     */
    int writeTo(MemorySegment sa) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        sa.set(ValueLayout.JAVA_SHORT, 0, AF_UNIX);
        if (isAbstract) {
            sa.set(ValueLayout.JAVA_BYTE, SUN_PATH_OFFSET, (byte) 0);
            MemorySegment.copy(bytes, 0, sa, ValueLayout.JAVA_BYTE, SUN_PATH_OFFSET + 1, bytes.length);
            return SUN_PATH_OFFSET + 1 + bytes.length;
        }
        MemorySegment.copy(bytes, 0, sa, ValueLayout.JAVA_BYTE, SUN_PATH_OFFSET, bytes.length);
        sa.set(ValueLayout.JAVA_BYTE, SUN_PATH_OFFSET + bytes.length, (byte) 0);
        return SUN_PATH_OFFSET + bytes.length + 1;
    }

    /** @return the path, or {@code @name} for an abstract name (the way {@code ss -x} shows it) */
    @Override
    public String toString() {
        return isAbstract ? "@" + name : name;
    }
}

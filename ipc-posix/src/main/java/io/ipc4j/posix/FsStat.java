package io.ipc4j.posix;

/**
 * The parts of {@code struct statvfs} ipc4j uses.
 *
 * @param blockSize      fragment size ({@code f_frsize})
 * @param totalBytes     size of the file system in bytes
 * @param availableBytes bytes available to unprivileged users ({@code f_bavail * f_frsize})
 */
public record FsStat(long blockSize, long totalBytes, long availableBytes) {
}

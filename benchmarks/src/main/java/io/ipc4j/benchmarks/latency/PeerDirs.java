package io.ipc4j.benchmarks.latency;

import io.ipc4j.IpcException;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Private working directories of the peer-library transports ({@code aeron-ipc},
 * {@code chronicle-queue}): {@code /dev/shm/ipc4j-bench-KIND-PID-NANOS-N} (tmpfs, like the
 * segments of the ipc4j transports), or the same name under {@code java.io.tmpdir} when there is
 * no {@code /dev/shm}. The name says whose it is; {@link #delete} removes it with everything in it.
 */
final class PeerDirs {
    private static final Path SHM = Path.of("/dev/shm");
    private static final AtomicLong COUNTER = new AtomicLong();

    private PeerDirs() {
    }

    /**
     * Creates a new, empty directory only this user may use.
     *
     * @param kind short lower-case word naming the transport, e.g. {@code "aeron"}
     * @return the directory
     * @throws IpcException OS_ERROR when it cannot be created
     */
    static Path create(String kind) {
        Path base = Files.isDirectory(SHM) && Files.isWritable(SHM) ? SHM : Path.of(System.getProperty("java.io.tmpdir"));
        Path dir = base.resolve("ipc4j-bench-" + kind + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime()
                + "-" + COUNTER.incrementAndGet());
        try {
            Files.createDirectory(dir, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
            return dir;
        } catch (IOException | UnsupportedOperationException e) {
            throw new IpcException(IpcException.Reason.OS_ERROR, kind + ": cannot create the directory " + dir + ": " + e, e);
        }
    }

    /**
     * Deletes {@code dir} and everything below it (symbolic links are removed, not followed).
     * Nothing happens when it does not exist.
     *
     * @param dir the directory, or null
     * @throws IpcException OS_ERROR naming what could not be deleted
     */
    static void delete(Path dir) {
        if (dir == null || !Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE; // raced with a library's own clean-up
                    }
                    throw e;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    if (e != null && !(e instanceof NoSuchFileException)) {
                        throw e;
                    }
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException gone) {
            // deleted under us: fine
        } catch (IOException e) {
            throw new IpcException(IpcException.Reason.OS_ERROR, "cannot delete " + dir + ": " + e, e);
        }
    }
}

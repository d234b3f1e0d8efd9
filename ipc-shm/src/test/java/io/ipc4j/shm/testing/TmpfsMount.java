package io.ipc4j.shm.testing;

import io.ipc4j.shm.ShmDirectory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private tmpfs of a given size mounted on a fresh temporary directory (tests run as root).
 * When mounting is not allowed, {@link #mount} falls back to a plain temporary directory and
 * {@link #isTmpfs()} says so. {@link #close()} unmounts (lazily if still busy) and deletes the
 * directory, whatever is in it.
 */
public final class TmpfsMount implements AutoCloseable {
    private final Path path;
    private final boolean tmpfs;

    private TmpfsMount(Path path, boolean tmpfs) {
        this.path = path;
        this.tmpfs = tmpfs;
    }

    /**
     * Mounts a tmpfs, or falls back to a plain temporary directory.
     *
     * @param size a tmpfs {@code size=} value such as {@code "1m"}
     * @return the mount
     * @throws IOException when not even a temporary directory can be made
     */
    public static TmpfsMount mount(String size) throws IOException {
        Path dir = Files.createTempDirectory("ipc4j-test-tmpfs-");
        boolean ok = run(List.of("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0700", "tmpfs", dir.toString()));
        return new TmpfsMount(dir, ok);
    }

    /** @return the mount point */
    public Path path() {
        return path;
    }

    /** @return the mount point as a shared-memory directory */
    public ShmDirectory directory() {
        return new ShmDirectory(path);
    }

    /** @return true when a tmpfs of the requested size is mounted; false for the fallback directory */
    public boolean isTmpfs() {
        return tmpfs;
    }

    /** @return the file names in the directory right now */
    public List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(path)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Override
    public void close() throws IOException {
        if (tmpfs && !run(List.of("umount", path.toString()))) {
            run(List.of("umount", "-l", path.toString()));
        }
        try (Stream<Path> s = Files.walk(path)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static boolean run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            if (p.exitValue() != 0) {
                System.err.println(String.join(" ", cmd) + " failed: " + out.trim());
                return false;
            }
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

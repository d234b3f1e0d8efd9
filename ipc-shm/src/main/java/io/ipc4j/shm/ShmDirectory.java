package io.ipc4j.shm;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The directory that holds named segments. The default is {@code /dev/shm} (POSIX
 * {@code shm_open}, which Python's {@code multiprocessing.shared_memory} and C programs use);
 * another tmpfs or hugetlbfs mount can be chosen, e.g. one mounted with {@code huge=always} to cut
 * page-fault time, or a small one in tests. The system property {@code ipc4j.shm.dir} sets the
 * default.
 *
 * @param path an absolute directory on a memory file system
 */
public record ShmDirectory(Path path) {
    /** {@code /dev/shm}. */
    public static final Path DEV_SHM = Path.of("/dev/shm");

    /**
     * @param path an absolute directory
     */
    public ShmDirectory {
        Objects.requireNonNull(path, "path");
        if (!path.isAbsolute()) {
            throw new IllegalArgumentException("shared-memory directory must be absolute: " + path);
        }
        path = path.normalize();
    }

    /** @return the directory named by {@code -Dipc4j.shm.dir}, else {@code /dev/shm} */
    public static ShmDirectory defaultDirectory() {
        String p = System.getProperty("ipc4j.shm.dir");
        return new ShmDirectory(p == null || p.isBlank() ? DEV_SHM : Path.of(p));
    }

    /** @return true for {@code /dev/shm}, where names go through {@code shm_open} */
    public boolean isDevShm() {
        return path.equals(DEV_SHM);
    }

    /**
     * @param name a segment name (validated by the caller)
     * @return its file path
     */
    public Path resolve(String name) {
        return path.resolve(name);
    }
}

package io.ipc4j.cli.shm;

import io.ipc4j.shm.SegmentInventory;
import io.ipc4j.shm.ShmDirectory;
import io.ipc4j.tensor.store.TensorStoreProbe;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The {@code --dir DIR} option shared by the {@code shm} commands (a picocli mixin): which
 * shared-memory directory to work in. Default: {@link ShmDirectory#defaultDirectory()}
 * ({@code /dev/shm} unless {@code -Dipc4j.shm.dir} says otherwise).
 */
public final class DirectoryOption {
    @Option(names = "--dir", paramLabel = "DIR",
            description = "Shared-memory directory, e.g. another tmpfs (default: /dev/shm).")
    private Path dir;

    /** Created by picocli. */
    public DirectoryOption() {
    }

    /** @return the chosen directory (relative paths resolved against the working directory) */
    public ShmDirectory directory() {
        return dir == null ? ShmDirectory.defaultDirectory() : new ShmDirectory(dir.toAbsolutePath());
    }

    /** @return an inventory of the directory with the built-in probes plus the tensor-store probe */
    public SegmentInventory inventory() {
        return SegmentInventory.builder().directory(directory()).probe(new TensorStoreProbe()).build();
    }
}

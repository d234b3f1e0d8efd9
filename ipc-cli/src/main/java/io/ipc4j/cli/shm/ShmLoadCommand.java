package io.ipc4j.cli.shm;

import io.ipc4j.IpcException;
import io.ipc4j.cli.ProgressBar;
import io.ipc4j.shm.Bytes;
import io.ipc4j.shm.SegmentName;
import io.ipc4j.tensor.store.LoadOptions;
import io.ipc4j.tensor.store.LoadProgress;
import io.ipc4j.tensor.store.TensorStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code ipc4j shm load FILE --name NAME [--no-persistent] [--dir DIR]}: copies a
 * {@code .safetensors} file into a new tensor store ({@link TensorStore#load(Path, String, LoadOptions)}),
 * with a progress bar on stderr, and prints what was loaded.
 *
 * <p>By default the store is persistent: it stays after this command exits, until
 * {@code ipc4j shm rm NAME}. With {@code --no-persistent} the store belongs to this command
 * (lifetime {@code owner}): the command keeps running and holds it until interrupted (Ctrl-C,
 * SIGTERM), then removes it; if the command is killed outright, {@code ipc4j shm gc} removes it.
 *
 * <p>Every failure (no such file, not a safetensors file, the name is taken, the tmpfs is full)
 * is one line and exit code 1, and leaves nothing behind in the directory.
 */
@Command(name = "load",
        mixinStandardHelpOptions = true,
        description = {"Copy a .safetensors file into a tensor store in shared memory (kernel copy, progress on stderr).",
                "The store is a byte-exact safetensors file that Python/NumPy can open too."})
public final class ShmLoadCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private DirectoryOption dir;

    @Parameters(paramLabel = "FILE", description = "A .safetensors file.")
    private Path file;

    @Option(names = "--name", paramLabel = "NAME", required = true,
            description = "Name of the new store (letters, digits, '.', '_', '-').")
    private String name;

    @Option(names = "--persistent", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = {"Keep the store after this command exits, until 'ipc4j shm rm NAME' (default).",
                    "--no-persistent: hold the store only while this command runs (until Ctrl-C), then remove it."})
    private boolean persistent;

    /** Created by picocli. */
    public ShmLoadCommand() {
    }

    @Override
    public Integer call() {
        SegmentName.validate(name);
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        String label = "load " + (file.getFileName() == null ? file : file.getFileName());
        BarProgress progress = new BarProgress(label, err);
        LoadOptions options = LoadOptions.defaults().withDirectory(dir.directory()).withPersistent(persistent)
                .withProgress(progress);
        long t0 = System.nanoTime();
        TensorStore store;
        try {
            store = TensorStore.load(file, name, options);
        } catch (IpcException e) {
            throw switch (e.reason()) {
                case CORRUPT, TRUNCATED, TOO_LARGE, UNSUPPORTED -> new IpcException(e.reason(),
                        e.getMessage() + " (not a valid safetensors file)", e.errno(), e);
                default -> e;
            };
        } finally {
            progress.finish();
        }
        double seconds = Math.max(1e-9, (System.nanoTime() - t0) / 1e9);
        try {
            long data = store.header().dataSize();
            int n = store.tensorNames().size();
            out.println(String.format(Locale.ROOT, "loaded %s into %s: %d %s, %s (data %s) in %.2f s, %.2f GB/s",
                    file, options.directory().resolve(name), n, n == 1 ? "tensor" : "tensors",
                    Bytes.format(store.size()), Bytes.format(data), seconds, data / seconds / 1e9));
            if (persistent) {
                out.println("persistent: it stays until 'ipc4j shm rm " + name + "'");
                out.flush();
                return 0;
            }
            out.println("holding '" + name + "' while this command runs; Ctrl-C removes it");
            out.flush();
            return hold(store);
        } finally {
            store.close(); // persistent: unmaps only; otherwise the owner removes it
        }
    }

    /** Waits until interrupted or the JVM shuts down (SIGINT/SIGTERM), then lets the caller close the store. */
    private static int hold(TensorStore store) {
        Thread hook = new Thread(store::close, "ipc4j-load-release");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            while (true) {
                Thread.sleep(Long.MAX_VALUE);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs (or ran) anyway
            }
        }
    }

    /** Draws a progress bar from the first report on, once the total is known. */
    private static final class BarProgress implements LoadProgress {
        private final String label;
        private final PrintWriter err;
        private ProgressBar bar;

        BarProgress(String label, PrintWriter err) {
            this.label = label;
            this.err = err;
        }

        @Override
        public void progress(long bytesDone, long totalBytes) {
            if (bar == null) {
                bar = new ProgressBar(label, totalBytes, err, ProgressBar.isTerminal(), System::nanoTime);
            }
            bar.update(bytesDone);
        }

        void finish() {
            if (bar != null) {
                bar.finish();
            }
        }
    }
}

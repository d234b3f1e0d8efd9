package io.ipc4j.benchmarks.jmh;

import io.ipc4j.shm.SharedSegment;
import io.ipc4j.shm.ShmDirectory;
import io.ipc4j.tensor.store.TensorStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * Loading a {@code .safetensors} file into shared memory: {@link TensorStore#load} against the
 * raw copies it competes with, in the same run so the ratio means something. GB/s = sizeMiB &times;
 * 1.048576 / 1000 / (ms per op / 1000).
 *
 * <p>The source file is written once per trial under {@code /tmp} and stays in the page cache
 * (it was just written and the machine has memory to spare), so this measures memory-to-memory
 * copying into tmpfs, not disk reads. Every invocation creates a new segment and removes it
 * afterwards.
 *
 * <ul>
 *   <li>{@code load}: the library path: header check, kernel copy through the segment's file
 *       ({@code FileChannel.transferTo}), header re-check, publish by rename;</li>
 *   <li>{@code rawTransferTo}: just {@code transferTo} of the whole file into a new file in
 *       {@code /dev/shm} (the floor);</li>
 *   <li>{@code rawFilesCopy}: {@code Files.copy} into {@code /dev/shm};</li>
 *   <li>{@code readIntoMapping}: the alternative strategy: a new segment, then
 *       {@code FileChannel.read} into its fresh mapping in 64 MiB slices (every page is faulted
 *       in by the copy).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class TensorStoreLoadBenchmark {
    /** Created by JMH. */
    public TensorStoreLoadBenchmark() {
    }

    /** Size of the tensor data in MiB (1024 = the 1 GiB figure; smaller for quick runs). */
    @Param({"1024"})
    public int sizeMiB;

    private Path file;
    private String name;
    private int counter;
    private TensorStore loaded;

    /**
     * Writes the source file: one F32 tensor of {@code sizeMiB} MiB with a non-zero pattern.
     *
     * @throws IOException on write failure
     */
    @Setup(Level.Trial)
    public void writeFile() throws IOException {
        long bytes = (long) sizeMiB << 20;
        file = Files.createTempFile("ipc4j-bench-", ".safetensors");
        String json = "{\"w\":{\"dtype\":\"F32\",\"shape\":[" + bytes / 4 + "],\"data_offsets\":[0," + bytes + "]}}";
        json += " ".repeat((8 - (8 + json.length()) % 8) % 8);
        byte[] head = json.getBytes(StandardCharsets.US_ASCII);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, head.length));
            ch.write(ByteBuffer.wrap(head));
            ByteBuffer chunk = ByteBuffer.allocateDirect(16 << 20).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; chunk.remaining() >= 4; i++) {
                chunk.putFloat(i * 0.5f);
            }
            for (long done = 0; done < bytes; done += chunk.capacity()) {
                chunk.clear().limit((int) Math.min(chunk.capacity(), bytes - done));
                while (chunk.hasRemaining()) {
                    ch.write(chunk);
                }
            }
        }
    }

    /** Picks a fresh segment name for the next invocation. */
    @Setup(Level.Invocation)
    public void nextName() {
        name = "ipc4j-bench-load-" + ProcessHandle.current().pid() + "-" + counter++;
    }

    /**
     * The library's load.
     *
     * @return the store size (consumed by JMH)
     */
    @Benchmark
    public long load() {
        loaded = TensorStore.load(file, name);
        return loaded.size();
    }

    /**
     * Baseline: a whole-file kernel copy into {@code /dev/shm}.
     *
     * @return bytes copied
     * @throws IOException on failure
     */
    @Benchmark
    public long rawTransferTo() throws IOException {
        try (FileChannel src = FileChannel.open(file, StandardOpenOption.READ);
             FileChannel dst = FileChannel.open(ShmDirectory.DEV_SHM.resolve(name),
                     StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long size = src.size();
            long done = 0;
            while (done < size) {
                done += src.transferTo(done, size - done, dst);
            }
            return done;
        }
    }

    /**
     * Baseline: {@code Files.copy} into {@code /dev/shm}.
     *
     * @return the copy's size
     * @throws IOException on failure
     */
    @Benchmark
    public long rawFilesCopy() throws IOException {
        Path to = ShmDirectory.DEV_SHM.resolve(name);
        Files.copy(file, to);
        return Files.size(to);
    }

    /**
     * Alternative strategy: read the file into a fresh mapping of a new segment.
     *
     * @return bytes read
     * @throws IOException on failure
     */
    @Benchmark
    public long readIntoMapping() throws IOException {
        try (FileChannel src = FileChannel.open(file, StandardOpenOption.READ);
             SharedSegment seg = SharedSegment.create(name, src.size())) {
            long size = src.size();
            long chunk = 64L << 20;
            for (long off = 0; off < size; off += chunk) {
                ByteBuffer buf = seg.memory().asSlice(off, Math.min(chunk, size - off)).asByteBuffer();
                while (buf.hasRemaining()) {
                    if (src.read(buf, off + buf.position()) < 0) {
                        throw new IOException("short read");
                    }
                }
            }
            return size;
        }
    }

    /**
     * Removes what the invocation created.
     *
     * @throws IOException on failure
     */
    @TearDown(Level.Invocation)
    public void removeCopy() throws IOException {
        if (loaded != null) {
            loaded.close();
            loaded = null;
        }
        Files.deleteIfExists(ShmDirectory.DEV_SHM.resolve(name));
    }

    /**
     * Deletes the source file.
     *
     * @throws IOException on failure
     */
    @TearDown(Level.Trial)
    public void deleteFile() throws IOException {
        Files.deleteIfExists(file);
    }
}

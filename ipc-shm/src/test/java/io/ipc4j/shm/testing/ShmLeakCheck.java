package io.ipc4j.shm.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * A JUnit 5 extension that fails a test class which leaves files behind in {@code /dev/shm}.
 *
 * <pre>{@code
 * @ExtendWith(ShmLeakCheck.class)
 * class MyTest {
 *     String name = ShmLeakCheck.uniqueName("ring");   // "ipc4j-test-ring-<pid>-<nanos>"
 * }
 * }</pre>
 *
 * <p>It snapshots the directory before the class's first test and compares after its last one.
 * Other processes (parallel builds, other test JVMs) create and remove files in {@code /dev/shm}
 * at the same time, so only new files that carry this JVM's pid the way test names do are
 * counted: names made by {@link #uniqueName} (also as a semaphore, {@code sem.NAME}) and
 * temporary names written by this JVM. Child JVMs must use names made by the parent.
 */
public final class ShmLeakCheck implements BeforeAllCallback, AfterAllCallback {
    private static final Path DEV_SHM = Path.of("/dev/shm");
    private static final long PID = ProcessHandle.current().pid();
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(ShmLeakCheck.class);

    /** Creates the extension (JUnit does). */
    public ShmLeakCheck() {
    }

    /**
     * A segment name unique to this JVM and moment that {@link ShmLeakCheck} recognises as this
     * JVM's.
     *
     * @param what a short word naming the test
     * @return {@code "ipc4j-test-WHAT-PID-NANOS"}
     */
    public static String uniqueName(String what) {
        return "ipc4j-test-" + what + "-" + PID + "-" + System.nanoTime();
    }

    /**
     * @param fileName a file name in {@code /dev/shm}
     * @return true when this JVM's tests made it
     */
    public static boolean isOurs(String fileName) {
        return fileName.contains("-" + PID + "-") || fileName.startsWith(".ipc4j-tmp." + PID + ".");
    }

    /** @return the current file names in {@code /dev/shm} */
    public static Set<String> snapshot() {
        Set<String> names = new TreeSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(DEV_SHM)) {
            ds.forEach(p -> names.add(p.getFileName().toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    /**
     * @param before a {@link #snapshot()} taken earlier
     * @return the files of this JVM's tests that appeared since
     */
    public static Set<String> leakedSince(Set<String> before) {
        Set<String> leaked = new TreeSet<>();
        for (String n : snapshot()) {
            if (!before.contains(n) && isOurs(n)) {
                leaked.add(n);
            }
        }
        return leaked;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NS).put("before", snapshot());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        @SuppressWarnings("unchecked")
        Set<String> before = (Set<String>) context.getStore(NS).get("before", Set.class);
        Set<String> leaked = leakedSince(before);
        if (!leaked.isEmpty()) {
            throw new AssertionError(context.getDisplayName() + " left files in /dev/shm: " + leaked);
        }
    }
}

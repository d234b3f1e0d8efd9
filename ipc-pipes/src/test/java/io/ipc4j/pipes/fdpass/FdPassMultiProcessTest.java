package io.ipc4j.pipes.fdpass;

import io.ipc4j.IpcException;
import io.ipc4j.posix.UnixAddress;
import io.ipc4j.shm.MemfdSegment;
import io.ipc4j.shm.testing.ChildJvm;
import io.ipc4j.shm.testing.ShmLeakCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A memfd travels to a child JVM over a Unix socket; it never has a name and dies with its last holder. */
@ExtendWith(ShmLeakCheck.class)
class FdPassMultiProcessTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final long SIZE = 64L << 20;
    private Path dir;

    @BeforeEach
    void makeDir() throws IOException {
        dir = Files.createTempDirectory("ipc4j-test-fdx-");
    }

    @AfterEach
    void removeDir() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Shmem from /proc/meminfo: memfd and tmpfs pages of the whole machine. */
    private static long shmemBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("Shmem:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new AssertionError("no Shmem line in /proc/meminfo");
    }

    /** Pids of every process with a descriptor or a mapping of the memfd labelled {@code label}. */
    private static Set<Long> holders(String label) throws IOException {
        String needle = "/memfd:" + label + " (deleted)";
        Set<Long> pids = new TreeSet<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : procs) {
                long pid = Long.parseLong(proc.getFileName().toString());
                try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
                    for (Path fd : fds) {
                        try {
                            if (Files.readSymbolicLink(fd).toString().equals(needle)) {
                                pids.add(pid);
                            }
                        } catch (IOException ignored) {
                            // closed meanwhile
                        }
                    }
                    if (Files.readString(proc.resolve("maps")).contains(needle)) {
                        pids.add(pid);
                    }
                } catch (IOException ignored) {
                    // the process exited while we looked
                }
            }
        }
        return pids;
    }

    @Test
    void childMapsThePassedMemfdAnswersAndTheMemoryVanishesWithItsLastHolder() throws Exception {
        String label = ShmLeakCheck.uniqueName("memfd-xproc");
        Path socket = dir.resolve("fd.sock");
        long myPid = ProcessHandle.current().pid();
        MemfdSegment seg = MemfdSegment.create(label, SIZE);
        try (FdListener listener = FdListener.listen(UnixAddress.path(socket));
             ChildJvm child = ChildJvm.start(FdPassChild.class, "map", socket.toString(), label)) {
            for (long page = 0; page < SIZE / 4096; page++) {
                seg.memory().set(ValueLayout.JAVA_LONG, page * 4096 + (page == 0 ? 16 : 0), FdPassChild.pattern(page));
            }
            try (FdChannel channel = listener.accept(WAIT)) {
                assertEquals(child.process().pid(), channel.peer().pid(), "SO_PEERCRED names the child");
                channel.send("memfd", seg.fd());
                assertEquals("mapped ok=true maps=true", child.expect("mapped"));
                try (FdMessage answer = channel.receive(WAIT)) {
                    assertEquals("answered", answer.text());
                }
                assertEquals(child.process().pid(), seg.memory().get(ValueLayout.JAVA_LONG, 8),
                        "the child's write is visible through the parent's mapping");
            }
            assertTrue(ShmLeakCheck.snapshot().stream().noneMatch(n -> n.contains(label)), "nothing in /dev/shm");
            assertEquals(Set.of(myPid, child.process().pid()), holders(label));

            // the parent lets go; the child alone keeps the memory alive
            seg.close();
            assertEquals(Set.of(child.process().pid()), holders(label));
            long held = shmemBytes();

            child.kill(); // SIGKILL: no chance to clean up
            assertEquals(Set.of(), holders(label), "nobody holds the memfd any more");
            long after = shmemBytes();
            // tolerant: other processes use shared memory at the same time
            assertTrue(held - after >= SIZE / 2, "Shmem should drop by about " + (SIZE >> 20) + " MiB when the last "
                    + "holder dies: " + (held >> 20) + " MiB -> " + (after >> 20) + " MiB");
        } finally {
            seg.close();
        }
        assertFalse(Files.exists(socket), "socket file removed");
    }

    @Test
    void aPeerKilledWhileWeWaitIsPeerClosed() throws Exception {
        Path socket = dir.resolve("dead.sock");
        try (FdListener listener = FdListener.listen(UnixAddress.path(socket));
             ChildJvm child = ChildJvm.start(FdPassChild.class, "connect", socket.toString());
             FdChannel channel = listener.accept(WAIT)) {
            child.expect("connected");
            CompletableFuture<Throwable> receiver = CompletableFuture.supplyAsync(() -> {
                try (FdMessage m = channel.receive(WAIT)) {
                    return new AssertionError("received " + m.text() + " from a dying child");
                } catch (Throwable t) {
                    return t;
                }
            });
            child.kill();
            Throwable t = receiver.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            IpcException e = assertInstanceOf(IpcException.class, t);
            assertEquals(IpcException.Reason.PEER_CLOSED, e.reason(), e.getMessage());
            IpcException send = org.junit.jupiter.api.Assertions.assertThrows(IpcException.class, () -> channel.send("hello?"));
            assertEquals(IpcException.Reason.PEER_CLOSED, send.reason());
        }
    }
}

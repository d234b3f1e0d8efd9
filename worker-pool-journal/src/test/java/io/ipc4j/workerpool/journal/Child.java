package io.ipc4j.workerpool.journal;

import io.ipc4j.process.JvmCommand;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM with chosen JVM flags (ipc-shm's {@code ChildJvm} takes none), read line by line
 * with a deadline on every wait; closing kills it if it still runs.
 */
final class Child implements AutoCloseable {
    static final long GIVE_UP_SECONDS = 90;

    /** What Chronicle needs (as the module's surefire argLine gives this JVM). */
    static final List<String> CHRONICLE_FLAGS = List.of("--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED", "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow", "-Dchronicle.analytics.disable=true");

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> transcript = new ArrayList<>();

    private Child(Process process) {
        this.process = process;
        Thread.ofPlatform().daemon().name("child-" + process.pid()).start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // gone
            }
        });
    }

    static Child start(Class<?> main, List<String> jvmFlags, String... args) throws IOException {
        List<String> cmd = JvmCommand.forMain(main).jvmOption("-Xmx128m").jvmOption("-XX:+UseSerialGC")
                .jvmOptions(jvmFlags).args(args).build();
        return new Child(new ProcessBuilder(cmd).redirectErrorStream(true).start());
    }

    Process process() {
        return process;
    }

    /** Waits for a line starting with {@code prefix}, keeping every line read in the transcript. */
    String expect(String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GIVE_UP_SECONDS);
        while (true) {
            String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("child did not print '" + prefix + "'; alive=" + process.isAlive()
                        + ", output: " + transcript());
            }
            transcript.add(line);
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    int waitFor() throws InterruptedException {
        if (!process.waitFor(GIVE_UP_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("child did not exit; output: " + transcript());
        }
        return process.exitValue();
    }

    void kill() throws InterruptedException {
        process.destroyForcibly();                          // SIGKILL
        if (!process.waitFor(GIVE_UP_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("child " + process.pid() + " survived SIGKILL");
        }
    }

    /** @return every line read so far, and whatever else has arrived */
    List<String> transcript() {
        lines.drainTo(transcript);
        return List.copyOf(transcript);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

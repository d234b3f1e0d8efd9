package io.ipc4j.shm.testing;

import io.ipc4j.process.JvmCommand;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running a test class's {@code main}, talked to line by line: the test sends
 * commands on its stdin and waits for lines on its stdout (stderr is merged in). Every wait has a
 * deadline, so a broken child fails the test instead of hanging it; {@link #close()} kills the
 * child if it still runs.
 */
public final class ChildJvm implements AutoCloseable {
    /** How long a test waits for any child line or exit before failing. */
    public static final Duration GIVE_UP = Duration.ofSeconds(60);

    private final Process process;
    private final PrintWriter stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> transcript = new ArrayList<>();

    private ChildJvm(Process process) {
        this.process = process;
        this.stdin = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        Thread.ofPlatform().daemon().name("child-" + process.pid() + "-stdout").start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the child went away
            }
        });
    }

    /**
     * Starts {@code main} of {@code mainClass} in a JVM like this one.
     *
     * @param mainClass a class with a {@code main}
     * @param args      its arguments
     * @return the running child
     * @throws IOException when it cannot be started
     */
    public static ChildJvm start(Class<?> mainClass, String... args) throws IOException {
        List<String> cmd = JvmCommand.forMain(mainClass).jvmOption("-Xmx64m").jvmOption("-XX:+UseSerialGC")
                .args(args).build();
        return new ChildJvm(new ProcessBuilder(cmd).redirectErrorStream(true).start());
    }

    /** @return the child's process */
    public Process process() {
        return process;
    }

    /**
     * Waits for a line starting with {@code prefix}, skipping others.
     *
     * @param prefix what the line starts with
     * @return the line
     * @throws AssertionError when the child exits or {@link #GIVE_UP} passes first
     */
    public String expect(String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + GIVE_UP.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String line = lines.poll(Math.max(left, 0), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("child did not print '" + prefix + "'; alive=" + process.isAlive()
                        + ", output so far: " + transcript);
            }
            transcript.add(line);
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    /**
     * Sends one line to the child's stdin.
     *
     * @param line the command
     */
    public void send(String line) {
        stdin.println(line);
    }

    /**
     * Closes the child's stdin and waits for it to exit.
     *
     * @return its exit code
     * @throws AssertionError when it does not exit within {@link #GIVE_UP}
     */
    public int finish() throws InterruptedException {
        stdin.close();
        if (!process.waitFor(GIVE_UP.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("child did not exit; output: " + transcript);
        }
        return process.exitValue();
    }

    /** Kills the child with SIGKILL and reaps it. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(GIVE_UP.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("child " + process.pid() + " survived SIGKILL");
        }
    }

    /** @return every line read so far (for failure messages) */
    public List<String> transcript() {
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

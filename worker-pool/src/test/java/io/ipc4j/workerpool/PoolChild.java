package io.ipc4j.workerpool;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * A supervisor process for the tests that kill or signal the supervisor itself. Arguments: pool
 * name, workers, jobs, mode ({@code sigterm}: close on SIGTERM and exit 0; {@code plain}).
 * Prints {@code PIDS p1 p2 ...}, then {@code DONE id} for each completed job, {@code SUBMITTED}
 * once every job is submitted, then waits for stdin to close.
 */
public final class PoolChild {
    private PoolChild() {
    }

    /**
     * @param args name, workers, jobs, mode
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        PoolContext ctx = new PoolContext().name(args[0]).workers(Integer.parseInt(args[1])).handler(TestHandler.class)
                .slab(4096, 8).classDataSharing(false).exitOnSigterm(args[3].equals("sigterm"))
                .shutdown(Duration.ofSeconds(30), Duration.ofSeconds(5));
        WorkerPool pool = WorkerPool.start(ctx);
        System.out.println("PIDS " + pool.workerPids().stream().map(String::valueOf).collect(Collectors.joining(" ")));
        int jobs = Integer.parseInt(args[2]);
        for (int i = 0; i < jobs; i++) {
            CompletableFuture<JobResult> f = pool.submit("sleep:100".getBytes(StandardCharsets.UTF_8));
            f.thenAccept(r -> {
                System.out.println("DONE " + r.jobId());
                r.close();
            });
        }
        System.out.println("SUBMITTED");
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            while (in.readLine() != null) {
                // wait until the test closes stdin
            }
        }
        pool.close();
    }
}

package io.ipc4j.workerpool.journal;

import io.ipc4j.tensor.DType;
import io.ipc4j.workerpool.JobRequest;
import io.ipc4j.workerpool.JobResult;
import io.ipc4j.workerpool.PoolContext;
import io.ipc4j.workerpool.TensorLoan;
import io.ipc4j.workerpool.WorkerPool;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * A supervisor with a journal, for the test that SIGKILLs it. Arguments: pool name, journal
 * directory, jobs, stallFrom (its workers stall on jobs whose tag is that or more; see
 * {@link SleepHandler}). Job {@code k} (tag k) carries input F32[4] = {k, k+1, k+2, k+3}, an
 * output F32[4] and payload {@code sleep:200:k}. Prints {@code PIDS p1 p2}, {@code SUBMITTED k id}
 * per job, {@code DONE id tag} per completed job, then waits for stdin to close.
 * On an exception at open prints {@code OPEN-FAILED REASON message} and exits 3.
 */
public final class JournalPoolChild {
    private JournalPoolChild() {
    }

    /**
     * @param args pool name, journal directory, jobs, stallFrom; or {@code open-only DIR}
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        if (args[0].equals("open-only")) {
            try (ChronicleJobJournal j = ChronicleJobJournal.open(Path.of(args[1]))) {
                System.out.println("OPENED " + j.lastJobId());
            } catch (io.ipc4j.IpcException e) {
                System.out.println("OPEN-FAILED " + e.reason() + " " + e.getMessage());
                System.exit(3);
            }
            return;
        }
        int jobs = Integer.parseInt(args[2]);
        PoolContext ctx = new PoolContext().name(args[0]).workers(2).handler(SleepHandler.class)
                .slab(4096, 2 * jobs + 8).classDataSharing(false)
                .addWorkerJvmOption("-Djournaltest.stallFrom=" + args[3])
                .journal(ChronicleJobJournal.open(Path.of(args[1])));
        WorkerPool pool = WorkerPool.start(ctx);
        System.out.println("PIDS " + pool.workerPids().stream().map(String::valueOf).collect(Collectors.joining(" ")));
        for (int k = 0; k < jobs; k++) {
            TensorLoan x = pool.loan(DType.F32, 4);
            for (int i = 0; i < 4; i++) {
                x.tensor().setFloat(i, k + i);
            }
            CompletableFuture<JobResult> f = pool.submit(JobRequest.create().input(x).output(DType.F32, 4)
                    .payload(("sleep:200:" + k).getBytes(StandardCharsets.UTF_8)));
            f.thenAccept(r -> {
                System.out.println("DONE " + r.jobId() + " " + new String(r.reply(), StandardCharsets.UTF_8));
                r.close();
            });
        }
        System.out.println("SUBMITTED");
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            while (in.readLine() != null) {
                // wait until the test closes stdin (or kills us)
            }
        }
        pool.close();
    }
}

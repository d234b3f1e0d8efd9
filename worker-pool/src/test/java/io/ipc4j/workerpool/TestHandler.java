package io.ipc4j.workerpool;

import io.ipc4j.tensor.Tensor;

import java.nio.charset.StandardCharsets;

/**
 * The handler the pool tests run in their workers. The inline payload is a command:
 * {@code echo:TEXT} replies TEXT; {@code throw} throws; {@code halt} kills the worker;
 * {@code sleep:MS} sleeps then replies "slept"; {@code double} writes 2 x input 0 into output 0
 * and replies the input's sum; {@code matvec} writes weights("w") x input 0 into output 0;
 * {@code pid} replies the worker's pid; {@code attempt} replies the attempt number;
 * {@code alloc:N}, {@code alloc-halt:N}, {@code alloc-throw:N} allocate an output in the worker.
 */
public final class TestHandler implements JobHandler {
    private WorkerContext context;

    /** Created by the worker. */
    public TestHandler() {
    }

    @Override
    public void init(WorkerContext ctx) {
        if (System.getProperty("test.failInit") != null) {
            throw new IllegalStateException("init refused on purpose: " + System.getProperty("test.failInit"));
        }
        this.context = ctx;
    }

    @Override
    public void handle(Job job) throws Exception {
        String cmd = new String(job.payloadBytes(), StandardCharsets.UTF_8);
        if (cmd.startsWith("echo:")) {
            job.reply(cmd.substring(5).getBytes(StandardCharsets.UTF_8));
        } else if (cmd.equals("throw")) {
            throw new IllegalStateException("boom in job " + job.id());
        } else if (cmd.equals("halt")) {
            Runtime.getRuntime().halt(9);
        } else if (cmd.startsWith("sleep:")) {
            Thread.sleep(Long.parseLong(cmd.substring(6)));
            reply(job, "slept " + job.id());
        } else if (cmd.equals("double")) {
            Tensor in = job.input(0);
            Tensor out = job.output(0);
            double sum = 0;
            for (long i = 0; i < in.elementCount(); i++) {
                float v = in.getFloat(i);
                sum += v;
                out.setFloat(i, 2 * v);
            }
            reply(job, Double.toString(sum));
        } else if (cmd.equals("matvec")) {
            Tensor w = context.weight("w");
            Tensor x = job.input(0);
            Tensor y = job.output(0);
            long rows = w.shape()[0];
            long cols = w.shape()[1];
            for (long r = 0; r < rows; r++) {
                float acc = 0;
                for (long c = 0; c < cols; c++) {
                    acc += w.getFloat(r, c) * x.getFloat(c);
                }
                y.setFloat(r, acc);
            }
        } else if (cmd.startsWith("alloc")) {
            // alloc:N allocates an F32 output of N elements and fills it with 0..N-1;
            // alloc-halt:N allocates one, then kills the worker; alloc-throw:N allocates one, then throws
            int n = Integer.parseInt(cmd.substring(cmd.indexOf(':') + 1));
            Tensor t = job.allocateOutput(io.ipc4j.tensor.DType.F32, n);
            for (int i = 0; i < n; i++) {
                t.setFloat(i, i);
            }
            if (cmd.startsWith("alloc-halt")) {
                Runtime.getRuntime().halt(9);
            } else if (cmd.startsWith("alloc-throw")) {
                throw new IllegalStateException("failed after allocating");
            }
            reply(job, "allocated " + n);
        } else if (cmd.equals("pid")) {
            reply(job, Long.toString(ProcessHandle.current().pid()));
        } else if (cmd.equals("attempt")) {
            reply(job, Integer.toString(job.attempt()));
        } else {
            throw new IllegalArgumentException("unknown test command '" + cmd + "'");
        }
    }

    private static void reply(Job job, String s) {
        job.reply(s.getBytes(StandardCharsets.UTF_8));
    }
}

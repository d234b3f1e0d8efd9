package io.ipc4j.workerpool;

/**
 * The code a worker JVM runs for each job. The pool instantiates the class in every worker through
 * its public no-argument constructor, calls {@link #init} once, then {@link #handle} for each job
 * dispatched to that worker, one at a time, on one thread.
 *
 * <p>The class must be public and on the same class path (or module path) as the supervisor;
 * on the module path its package must be exported (at least to {@code io.ipc4j.workerpool}).
 *
 * <pre>{@code
 * public final class MatVec implements JobHandler {
 *     private Tensor weights;
 *     public void init(WorkerContext ctx) { weights = ctx.weight("w"); }   // read-only, shared
 *     public void handle(Job job) {
 *         Tensor x = job.input(0), y = job.output(0);
 *         for (long r = 0; r < y.elementCount(); r++) { ... y.setFloat(r, dot(weights.row(r), x)); }
 *     }
 * }
 * }</pre>
 *
 * <p>If {@code handle} throws, the job's future completes with a {@link JobException} of status
 * {@link JobStatus#HANDLER_FAILED} carrying the exception's class and message; the worker goes on.
 * If the worker process dies while running a job, the job is dispatched again to another worker
 * (at-least-once execution), so a handler should be idempotent: write every output element.
 */
public interface JobHandler {
    /**
     * Called once in each worker process before its first job.
     *
     * @param context the worker's view of the pool (weights, its index)
     * @throws Exception to refuse to start: the worker reports the failure and exits
     */
    default void init(WorkerContext context) throws Exception {
    }

    /**
     * Runs one job: read its inputs (and the weights), write its outputs in place.
     *
     * @param job the job; its tensors are valid only during this call
     * @throws Exception the job fails with {@link JobStatus#HANDLER_FAILED}
     */
    void handle(Job job) throws Exception;

    /** Called when the worker stops normally. */
    default void close() {
    }
}

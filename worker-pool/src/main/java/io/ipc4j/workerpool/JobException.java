package io.ipc4j.workerpool;

import io.ipc4j.IpcException;

/**
 * A job that did not complete, or a submission or loan the pool refused, with the
 * {@link JobStatus} saying why. Futures complete exceptionally with it; {@code loan} and
 * {@code submit} throw it for back-pressure.
 */
public final class JobException extends IpcException {
    private static final long serialVersionUID = 1L;

    private final JobStatus status;
    private final long jobId;

    /**
     * @param status  why
     * @param jobId   the job, or 0 when none was created
     * @param message what happened
     */
    public JobException(JobStatus status, long jobId, String message) {
        super(reasonOf(status), message);
        this.status = status;
        this.jobId = jobId;
    }

    private static Reason reasonOf(JobStatus s) {
        return switch (s) {
            case QUEUE_FULL, SLAB_FULL -> Reason.TIMEOUT;
            case POOL_CLOSED -> Reason.CLOSED;
            case TOO_LARGE -> Reason.TOO_LARGE;
            case HANDLER_FAILED, POISON -> Reason.JOB_FAILED;
        };
    }

    /** @return why the job did not complete */
    public JobStatus status() {
        return status;
    }

    /** @return the job's id, 0 when the refusal came before one was assigned */
    public long jobId() {
        return jobId;
    }
}

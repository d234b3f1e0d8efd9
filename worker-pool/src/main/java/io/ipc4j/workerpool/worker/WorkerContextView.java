package io.ipc4j.workerpool.worker;

import io.ipc4j.IpcException;
import io.ipc4j.IpcException.Reason;
import io.ipc4j.tensor.Tensor;
import io.ipc4j.tensor.store.TensorStore;
import io.ipc4j.workerpool.WorkerContext;

import java.util.Optional;

/** The {@link WorkerContext} of a worker process. */
final class WorkerContextView implements WorkerContext {
    private final WorkerArgs args;
    private final int workers;
    private final TensorStore weights;

    WorkerContextView(WorkerArgs args, int workers, TensorStore weights) {
        this.args = args;
        this.workers = workers;
        this.weights = weights;
    }

    @Override
    public String poolName() {
        return args.pool();
    }

    @Override
    public int workerIndex() {
        return args.worker();
    }

    @Override
    public int incarnation() {
        return args.incarnation();
    }

    @Override
    public int workerCount() {
        return workers;
    }

    @Override
    public Optional<TensorStore> weights() {
        return Optional.ofNullable(weights);
    }

    @Override
    public Tensor weight(String name) {
        if (weights == null) {
            throw new IpcException(Reason.NOT_FOUND, "pool '" + args.pool() + "' has no weights (tensor '" + name + "' asked for)");
        }
        return weights.tensor(name);
    }
}

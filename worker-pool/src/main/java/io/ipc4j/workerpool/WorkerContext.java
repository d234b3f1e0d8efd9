package io.ipc4j.workerpool;

import io.ipc4j.tensor.Tensor;
import io.ipc4j.tensor.store.TensorStore;

import java.util.Optional;

/** What a worker's {@link JobHandler} sees of its pool. */
public interface WorkerContext {
    /** @return the pool's name */
    String poolName();

    /** @return this worker's slot, 0 to {@code workerCount() - 1} */
    int workerIndex();

    /** @return how many processes this slot has had, this one included (1 for the first) */
    int incarnation();

    /** @return the pool's number of worker slots */
    int workerCount();

    /** @return the weight store, mapped read-only and shared by every worker; empty when the pool has none */
    Optional<TensorStore> weights();

    /**
     * @param name a tensor of the weight store
     * @return it, read-only (a view of the shared pages: no copy)
     * @throws io.ipc4j.IpcException NOT_FOUND when the pool has no weights or no such tensor
     */
    Tensor weight(String name);
}

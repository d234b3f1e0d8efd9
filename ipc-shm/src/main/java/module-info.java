/**
 * Named POSIX shared-memory segments under {@code /dev/shm}, descriptor headers, typed tensors
 * and the safetensors tensor store.
 */
module io.ipc4j.shm {
    requires transitive io.ipc4j.posix;
    exports io.ipc4j.shm;
    exports io.ipc4j.shm.header;
    exports io.ipc4j.shm.ring;
    exports io.ipc4j.shm.slab;
    exports io.ipc4j.tensor;
    exports io.ipc4j.tensor.store;
}

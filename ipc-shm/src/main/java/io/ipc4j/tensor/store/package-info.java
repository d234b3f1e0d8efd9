/**
 * The tensor store: a named shared-memory segment whose bytes are exactly a
 * <a href="https://github.com/huggingface/safetensors">safetensors</a> file, so Python/NumPy or any
 * other safetensors reader can open it with no Java involved.
 *
 * <pre>
 *  0        8                       8+N (multiple of 64)                          size
 *  +--------+-----------------------+---------------------------------------------+
 *  | N (u64 | JSON header, UTF-8,   | data: tensors back to back, no gaps, ordered |
 *  |  LE)   | padded with spaces    | by descending dtype size (natural alignment) |
 *  +--------+-----------------------+---------------------------------------------+
 * </pre>
 *
 * <ul>
 *   <li>{@link io.ipc4j.tensor.store.TensorStore}: build one from Java tensors
 *       ({@link io.ipc4j.tensor.store.TensorStore#builder(String)}), {@code load} a {@code .safetensors}
 *       file into shared memory with a kernel copy, {@code open}/{@code openReadOnly} a published store
 *       (header pages only, no data page is touched), or {@code mapFile} an on-disk file read-only.
 *       Stores are written under a temporary name and published by atomic rename.</li>
 *   <li>{@link io.ipc4j.tensor.store.SafetensorsHeader}: the strict header parser. Every byte is
 *       treated as hostile; each broken rule fails with a specific
 *       {@link io.ipc4j.IpcException} naming the tensor and the rule.
 *       {@link io.ipc4j.tensor.store.HeaderLimits} bounds what a header may ask for.</li>
 *   <li>{@link io.ipc4j.tensor.store.TensorStoreProbe}: recognises stores when listing
 *       {@code /dev/shm} (owner, liveness, lifetime from the {@code ipc4j.*} metadata).</li>
 * </ul>
 */
package io.ipc4j.tensor.store;

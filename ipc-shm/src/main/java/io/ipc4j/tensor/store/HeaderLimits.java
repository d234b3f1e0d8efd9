package io.ipc4j.tensor.store;

/**
 * Bounds on what a safetensors header may ask of its reader, so hostile bytes cannot cause an
 * unbounded allocation or a deep recursion. A header breaking one fails to parse with
 * {@link io.ipc4j.IpcException.Reason#TOO_LARGE} (sizes and counts) or
 * {@link io.ipc4j.IpcException.Reason#CORRUPT} (nesting) naming the limit.
 *
 * @param maxHeaderBytes most bytes of JSON header (the length field's value); the safetensors
 *                       reference implementation accepts 100,000,000
 * @param maxDepth       deepest nesting of JSON objects and arrays (a valid header needs 3)
 * @param maxTensors     most tensors, and most members of any JSON object (e.g. metadata pairs)
 * @param maxStringBytes longest JSON string (tensor name, metadata key or value) in encoded bytes
 * @param maxRank        most dimensions of a shape, and most elements of any JSON array
 */
public record HeaderLimits(long maxHeaderBytes, int maxDepth, int maxTensors, int maxStringBytes, int maxRank) {
    /** The defaults: 100,000,000 header bytes, depth 8, 100,000 tensors, 16 MiB strings, rank 64. */
    public static final HeaderLimits DEFAULT = new HeaderLimits(100_000_000L, 8, 100_000, 16 << 20, 64);

    /**
     * @param maxHeaderBytes most header bytes, 1 to {@code Integer.MAX_VALUE - 8}
     * @param maxDepth       at least 3
     * @param maxTensors     at least 1
     * @param maxStringBytes at least 1
     * @param maxRank        at least 2 ({@code data_offsets} has two elements)
     */
    public HeaderLimits {
        if (maxHeaderBytes < 1 || maxHeaderBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxHeaderBytes must be in [1, 2^31-9]: " + maxHeaderBytes);
        }
        if (maxDepth < 3) {
            throw new IllegalArgumentException("maxDepth must be >= 3: " + maxDepth);
        }
        if (maxTensors < 1 || maxStringBytes < 1) {
            throw new IllegalArgumentException("maxTensors and maxStringBytes must be >= 1");
        }
        if (maxRank < 2) {
            throw new IllegalArgumentException("maxRank must be >= 2: " + maxRank);
        }
    }
}

package io.ipc4j.tensor;

import io.ipc4j.IpcException;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Objects;

/**
 * A typed, shaped view of memory (usually shared memory): C-order (row-major), little-endian,
 * no copy. A tensor over a read-only segment rejects writes.
 */
public final class Tensor {
    private final String name;
    private final DType dtype;
    private final long[] shape;
    private final long elementCount;
    private final MemorySegment data;

    private Tensor(String name, DType dtype, long[] shape, long elementCount, MemorySegment data) {
        this.name = name;
        this.dtype = dtype;
        this.shape = shape;
        this.elementCount = elementCount;
        this.data = data;
    }

    /**
     * A tensor over {@code data}, which must hold exactly {@code product(shape) * dtype.byteSize()}
     * bytes, aligned to the dtype's size.
     *
     * @param name  the tensor's name (may be empty for anonymous tensors)
     * @param dtype element type
     * @param shape dimensions, each &ge; 0 (an empty shape is a scalar)
     * @param data  the bytes
     * @return the view
     * @throws IpcException INVALID_ARGUMENT when sizes disagree or overflow
     */
    public static Tensor of(String name, DType dtype, long[] shape, MemorySegment data) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(data, "data");
        long[] s = shape.clone();
        long count = elementCount(s);
        long bytes = byteSize(dtype, s);
        if (data.byteSize() != bytes) {
            throw new IpcException(IpcException.Reason.INVALID_ARGUMENT, "tensor '" + name + "': " + dtype
                    + Arrays.toString(s) + " needs " + bytes + " bytes, memory has " + data.byteSize());
        }
        return new Tensor(name, dtype, s, count, data);
    }

    /**
     * @param shape dimensions
     * @return the number of elements (product of the dimensions)
     * @throws IpcException INVALID_ARGUMENT on a negative dimension or overflow
     */
    public static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IpcException(IpcException.Reason.INVALID_ARGUMENT, "negative dimension in shape " + Arrays.toString(shape));
            }
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                throw new IpcException(IpcException.Reason.INVALID_ARGUMENT, "shape " + Arrays.toString(shape) + " overflows");
            }
        }
        return n;
    }

    /**
     * @param dtype element type
     * @param shape dimensions
     * @return the byte length of such a tensor
     * @throws IpcException INVALID_ARGUMENT on overflow
     */
    public static long byteSize(DType dtype, long[] shape) {
        try {
            return Math.multiplyExact(elementCount(shape), dtype.byteSize());
        } catch (ArithmeticException e) {
            throw new IpcException(IpcException.Reason.INVALID_ARGUMENT, "shape " + Arrays.toString(shape) + " of " + dtype + " overflows");
        }
    }

    /** @return the tensor's name */
    public String name() {
        return name;
    }

    /** @return the element type */
    public DType dtype() {
        return dtype;
    }

    /** @return a copy of the dimensions */
    public long[] shape() {
        return shape.clone();
    }

    /** @return the number of dimensions */
    public int rank() {
        return shape.length;
    }

    /**
     * @param dimension a dimension index
     * @return its size
     */
    public long dim(int dimension) {
        return shape[dimension];
    }

    /** @return the number of elements */
    public long elementCount() {
        return elementCount;
    }

    /** @return the number of bytes */
    public long byteSize() {
        return data.byteSize();
    }

    /** @return the memory behind the tensor (read-only when the tensor is) */
    public MemorySegment segment() {
        return data;
    }

    /** @return true when writes are rejected */
    public boolean isReadOnly() {
        return data.isReadOnly();
    }

    @Override
    public String toString() {
        return "Tensor[" + name + ", " + dtype + Arrays.toString(shape) + (isReadOnly() ? ", read-only" : "") + "]";
    }
}

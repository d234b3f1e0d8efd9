package io.ipc4j.tensor;

import io.ipc4j.IpcException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * A typed, shaped view of memory (usually shared memory): C-order (row-major), little-endian,
 * no copy. A tensor over a read-only segment rejects writes.
 *
 * <pre>{@code
 * Tensor w = Tensor.allocate("w", DType.F32, new long[] {2, 3}, arena);
 * w.setFloat(1, 2, 0.5f);                 // row 1, column 2
 * float x = w.getFloat(5);                // the same element by flat index
 * Tensor r = w.row(1);                    // F32[3], shares memory with w
 * float[] all = w.toFloatArray();         // bulk copy (MemorySegment.copy)
 * }</pre>
 *
 * <p><b>Indexing.</b> Elements are numbered in C order; {@link #strides()} gives, per dimension,
 * how many elements one step moves. Accessors take a flat index ({@code getFloat(long)}) or one
 * index per dimension for rank-2 and rank-3 tensors ({@code getFloat(long, long)}, ...; no
 * varargs array on these paths). Any index out of range throws
 * {@link IndexOutOfBoundsException} naming the index, dimension and tensor.
 *
 * <p><b>Element types.</b> Each accessor serves the dtypes whose natural Java type it returns:
 * {@code getFloat}: F32, F16, BF16 (the 16-bit formats are converted, see {@link HalfFloats});
 * {@code getDouble}: F64; {@code getLong}: I64, U64; {@code getInt}: I32, U32;
 * {@code getShort}: I16, U16; {@code getByte}: I8, U8; {@code getBoolean}: BOOL. Unsigned types
 * come back as the same bit pattern in the signed Java type. Any other dtype throws
 * {@link IpcException} ({@code INVALID_ARGUMENT}) naming the tensor's dtype.
 * {@link #getAsDouble(long)} reads every dtype (unsigned ones as unsigned).
 *
 * <p><b>Byte order and alignment.</b> Data is little-endian (as safetensors requires) on every
 * platform. Accesses use <em>unaligned</em> layouts, so a tensor may sit at any address (a heap
 * segment, an odd offset in a file): nothing is rejected for alignment. Tensor stores and
 * {@link #allocate} align data naturally anyway, which is what keeps accesses fast on CPUs where
 * misaligned loads cost more; on x86-64 the generated code is the same.
 *
 * <p><b>Read-only.</b> A tensor is read-only exactly when its segment is
 * ({@link MemorySegment#isReadOnly()}); setters and {@code copyFrom} then throw
 * {@link IpcException} ({@code PERMISSION_DENIED}). Tensors of a store opened read-only sit on a
 * {@code PROT_READ} mapping whose segment is itself read-only, so even a raw write through
 * {@link #segment()} throws in Java instead of faulting.
 *
 * <p><b>Views.</b> {@link #slice}, {@link #row}, {@link #reshape}, {@link #withName} and
 * {@link #asReadOnly()} return new tensors over the same memory; nothing is copied. A tensor is
 * valid as long as the arena (or shared segment) behind its memory is open; afterwards accesses
 * throw {@link IllegalStateException}.
 *
 * <p><b>Threads.</b> A tensor is immutable; concurrent reads are safe, concurrent writes to the
 * same elements need outside ordering like any plain memory.
 */
public final class Tensor {
    static final ValueLayout.OfDouble F64_LE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong I64_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt I32_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfShort I16_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;

    /** Alignment of {@link #allocate}d memory: a cache line, which is natural for every dtype. */
    private static final long ALLOCATION_ALIGNMENT = 64;

    private final String name;
    private final DType dtype;
    private final long[] shape;
    private final long[] strides;
    private final long elementCount;
    private final MemorySegment data;
    private final boolean readOnly;
    private final int rank;
    // the first three dimensions and the first two strides, copied out of the arrays so the
    // rank-2/3 accessors touch only fields (0 where the rank is smaller)
    private final long dim0;
    private final long dim1;
    private final long dim2;
    private final long stride0;
    private final long stride1;

    private Tensor(String name, DType dtype, long[] shape, long elementCount, MemorySegment data) {
        this.name = name;
        this.dtype = dtype;
        this.shape = shape;
        this.strides = cOrderStrides(shape);
        this.elementCount = elementCount;
        this.data = data;
        this.readOnly = data.isReadOnly();
        this.rank = shape.length;
        this.dim0 = rank > 0 ? shape[0] : 0;
        this.dim1 = rank > 1 ? shape[1] : 0;
        this.dim2 = rank > 2 ? shape[2] : 0;
        this.stride0 = rank > 0 ? strides[0] : 0;
        this.stride1 = rank > 1 ? strides[1] : 0;
    }

    /**
     * A tensor over {@code data}, which must hold exactly {@code product(shape) * dtype.byteSize()}
     * bytes. Any alignment is accepted (see the class comment); natural alignment is faster on
     * some CPUs.
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
     * Allocates a zero-filled tensor off-heap, aligned to 64 bytes, living as long as {@code arena}.
     *
     * @param name  the tensor's name
     * @param dtype element type
     * @param shape dimensions
     * @param arena owner of the memory
     * @return the new tensor
     * @throws IpcException INVALID_ARGUMENT on a negative dimension or overflow
     */
    public static Tensor allocate(String name, DType dtype, long[] shape, Arena arena) {
        Objects.requireNonNull(arena, "arena");
        long bytes = byteSize(dtype, shape);
        return of(name, dtype, shape, arena.allocate(bytes, ALLOCATION_ALIGNMENT));
    }

    /**
     * Allocates an F32 tensor off-heap and fills it from {@code values} (one bulk copy).
     *
     * @param name   the tensor's name
     * @param shape  dimensions; their product must equal {@code values.length}
     * @param values the elements in C order
     * @param arena  owner of the memory
     * @return the new tensor
     */
    public static Tensor ofFloats(String name, long[] shape, float[] values, Arena arena) {
        Tensor t = allocate(name, DType.F32, shape, arena);
        t.copyFrom(values);
        return t;
    }

    /**
     * Allocates an F64 tensor off-heap and fills it from {@code values}.
     *
     * @param name   the tensor's name
     * @param shape  dimensions; their product must equal {@code values.length}
     * @param values the elements in C order
     * @param arena  owner of the memory
     * @return the new tensor
     */
    public static Tensor ofDoubles(String name, long[] shape, double[] values, Arena arena) {
        Tensor t = allocate(name, DType.F64, shape, arena);
        t.copyFrom(values);
        return t;
    }

    /**
     * Allocates an I64 tensor off-heap and fills it from {@code values}.
     *
     * @param name   the tensor's name
     * @param shape  dimensions; their product must equal {@code values.length}
     * @param values the elements in C order
     * @param arena  owner of the memory
     * @return the new tensor
     */
    public static Tensor ofLongs(String name, long[] shape, long[] values, Arena arena) {
        Tensor t = allocate(name, DType.I64, shape, arena);
        t.copyFrom(values);
        return t;
    }

    /**
     * Allocates an I32 tensor off-heap and fills it from {@code values}.
     *
     * @param name   the tensor's name
     * @param shape  dimensions; their product must equal {@code values.length}
     * @param values the elements in C order
     * @param arena  owner of the memory
     * @return the new tensor
     */
    public static Tensor ofInts(String name, long[] shape, int[] values, Arena arena) {
        Tensor t = allocate(name, DType.I32, shape, arena);
        t.copyFrom(values);
        return t;
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

    /**
     * C-order strides in elements: the last dimension has stride 1, each earlier one the product
     * of the dimensions after it.
     *
     * @param shape dimensions (validated by the caller)
     * @return the strides
     */
    private static long[] cOrderStrides(long[] shape) {
        long[] s = new long[shape.length];
        long step = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            s[d] = step;
            step *= shape[d]; // cannot overflow: the whole product was checked
        }
        return s;
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

    /**
     * @return a copy of the C-order strides, in elements (for {@code [2, 3, 4]}: {@code [12, 4, 1]});
     *         multiply by {@code dtype().byteSize()} for bytes
     */
    public long[] strides() {
        return strides.clone();
    }

    /** @return the number of dimensions */
    public int rank() {
        return rank;
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
        return readOnly;
    }

    // ------------------------------------------------------------------------------------------
    // indices

    /**
     * @param index one index per dimension ({@code rank()} of them)
     * @return the flat (C-order) element index
     * @throws IpcException INVALID_ARGUMENT when the number of indices is not the rank
     * @throws IndexOutOfBoundsException naming the dimension whose index is out of range
     */
    public long flatIndex(long... index) {
        if (index.length != rank) {
            throw new IpcException(IpcException.Reason.INVALID_ARGUMENT, "tensor " + describe() + " has rank " + rank
                    + " but " + index.length + " indices were given: " + Arrays.toString(index));
        }
        long flat = 0;
        for (int d = 0; d < rank; d++) {
            if (Long.compareUnsigned(index[d], shape[d]) >= 0) {
                throw outOfBounds(d, index[d]);
            }
            flat += index[d] * strides[d];
        }
        return flat;
    }

    /**
     * @param i index along dimension 0 of a rank-2 tensor
     * @param j index along dimension 1
     * @return the flat element index
     */
    public long index(long i, long j) {
        if (rank != 2) {
            throw rankMismatch(2);
        }
        try {
            return Objects.checkIndex(i, dim0) * stride0 + Objects.checkIndex(j, dim1);
        } catch (IndexOutOfBoundsException e) {
            throw outOfBounds(i, j, 0);
        }
    }

    /**
     * @param i index along dimension 0 of a rank-3 tensor
     * @param j index along dimension 1
     * @param k index along dimension 2
     * @return the flat element index
     */
    public long index(long i, long j, long k) {
        if (rank != 3) {
            throw rankMismatch(3);
        }
        try {
            return Objects.checkIndex(i, dim0) * stride0 + Objects.checkIndex(j, dim1) * stride1
                    + Objects.checkIndex(k, dim2);
        } catch (IndexOutOfBoundsException e) {
            throw outOfBounds(i, j, k);
        }
    }

    /**
     * Checks a flat index. {@link Objects#checkIndex(long, long)} is a JIT intrinsic whose range
     * check C2 hoists out of counted loops (a hand-written unsigned compare measured ~0.55x of a
     * raw segment loop, this ~1.0x); the handler only rewrites the message of a failure.
     */
    private long checkFlat(long i) {
        try {
            return Objects.checkIndex(i, elementCount);
        } catch (IndexOutOfBoundsException e) {
            throw flatOutOfBounds(i);
        }
    }

    // ------------------------------------------------------------------------------------------
    // float (F32, F16, BF16)

    /**
     * Reads an element as a float: F32 directly, F16 and BF16 widened exactly.
     *
     * @param i flat (C-order) element index
     * @return the element
     * @throws IpcException INVALID_ARGUMENT unless the dtype is F32, F16 or BF16
     * @throws IndexOutOfBoundsException when {@code i} is outside {@code [0, elementCount())}
     */
    public float getFloat(long i) {
        long at = checkFlat(i);
        if (dtype == DType.F32) {
            return data.get(F32_LE, at << 2);
        }
        return getHalf(at);
    }

    private float getHalf(long at) {
        if (dtype == DType.F16) {
            return Float.float16ToFloat(data.get(I16_LE, at << 1));
        }
        if (dtype == DType.BF16) {
            return HalfFloats.bf16ToFloat(data.get(I16_LE, at << 1));
        }
        throw wrongDtype("getFloat", "F32, F16 or BF16");
    }

    /**
     * @param i index along dimension 0 of a rank-2 tensor
     * @param j index along dimension 1
     * @return the element
     */
    public float getFloat(long i, long j) {
        return getFloat(index(i, j));
    }

    /**
     * @param i index along dimension 0 of a rank-3 tensor
     * @param j index along dimension 1
     * @param k index along dimension 2
     * @return the element
     */
    public float getFloat(long i, long j, long k) {
        return getFloat(index(i, j, k));
    }

    /**
     * Writes an element from a float: F32 directly, F16 and BF16 rounded to nearest, ties to even.
     *
     * @param i     flat (C-order) element index
     * @param value the new element
     * @throws IpcException PERMISSION_DENIED when read-only; INVALID_ARGUMENT unless the dtype is
     *                      F32, F16 or BF16
     */
    public void setFloat(long i, float value) {
        checkWritable("setFloat");
        long at = checkFlat(i);
        if (dtype == DType.F32) {
            data.set(F32_LE, at << 2, value);
        } else if (dtype == DType.F16) {
            data.set(I16_LE, at << 1, Float.floatToFloat16(value));
        } else if (dtype == DType.BF16) {
            data.set(I16_LE, at << 1, HalfFloats.floatToBf16(value));
        } else {
            throw wrongDtype("setFloat", "F32, F16 or BF16");
        }
    }

    /**
     * @param i     index along dimension 0 of a rank-2 tensor
     * @param j     index along dimension 1
     * @param value the new element
     */
    public void setFloat(long i, long j, float value) {
        setFloat(index(i, j), value);
    }

    /**
     * @param i     index along dimension 0 of a rank-3 tensor
     * @param j     index along dimension 1
     * @param k     index along dimension 2
     * @param value the new element
     */
    public void setFloat(long i, long j, long k, float value) {
        setFloat(index(i, j, k), value);
    }

    // ---- double (F64) ----

    /**
     * @param i flat (C-order) element index
     * @return the element
     * @throws IpcException INVALID_ARGUMENT unless the dtype is F64
     * @throws IndexOutOfBoundsException when {@code i} is outside {@code [0, elementCount())}
     */
    public double getDouble(long i) {
        if (dtype != DType.F64) {
            throw wrongDtype("getDouble", "F64");
        }
        long at = checkFlat(i);
        return data.get(F64_LE, at << 3);
    }

    /**
     * @param i index along dimension 0 of a rank-2 tensor
     * @param j index along dimension 1
     * @return the element
     */
    public double getDouble(long i, long j) {
        return getDouble(index(i, j));
    }

    /**
     * @param i index along dimension 0 of a rank-3 tensor
     * @param j index along dimension 1
     * @param k index along dimension 2
     * @return the element
     */
    public double getDouble(long i, long j, long k) {
        return getDouble(index(i, j, k));
    }

    /**
     * @param i     flat (C-order) element index
     * @param value the new element
     * @throws IpcException PERMISSION_DENIED when read-only; INVALID_ARGUMENT unless the dtype is F64
     */
    public void setDouble(long i, double value) {
        checkWritable("setDouble");
        if (dtype != DType.F64) {
            throw wrongDtype("setDouble", "F64");
        }
        long at = checkFlat(i);
        data.set(F64_LE, at << 3, value);
    }

    /**
     * @param i     index along dimension 0 of a rank-2 tensor
     * @param j     index along dimension 1
     * @param value the new element
     */
    public void setDouble(long i, long j, double value) {
        setDouble(index(i, j), value);
    }

    /**
     * @param i     index along dimension 0 of a rank-3 tensor
     * @param j     index along dimension 1
     * @param k     index along dimension 2
     * @param value the new element
     */
    public void setDouble(long i, long j, long k, double value) {
        setDouble(index(i, j, k), value);
    }

    // ---- long (I64 or U64) ----

    /**
     * @param i flat (C-order) element index
     * @return the element
     * @throws IpcException INVALID_ARGUMENT unless the dtype is I64 or U64
     * @throws IndexOutOfBoundsException when {@code i} is outside {@code [0, elementCount())}
     */
    public long getLong(long i) {
        if (dtype != DType.I64 && dtype != DType.U64) {
            throw wrongDtype("getLong", "I64 or U64");
        }
        long at = checkFlat(i);
        return data.get(I64_LE, at << 3);
    }

    /**
     * @param i index along dimension 0 of a rank-2 tensor
     * @param j index along dimension 1
     * @return the element
     */
    public long getLong(long i, long j) {
        return getLong(index(i, j));
    }

    /**
     * @param i index along dimension 0 of a rank-3 tensor
     * @param j index along dimension 1
     * @param k index along dimension 2
     * @return the element
     */
    public long getLong(long i, long j, long k) {
        return getLong(index(i, j, k));
    }

    /**
     * @param i     flat (C-order) element index
     * @param value the new element
     * @throws IpcException PERMISSION_DENIED when read-only; INVALID_ARGUMENT unless the dtype is I64 or U64
     */
    public void setLong(long i, long value) {
        checkWritable("setLong");
        if (dtype != DType.I64 && dtype != DType.U64) {
            throw wrongDtype("setLong", "I64 or U64");
        }
        long at = checkFlat(i);
        data.set(I64_LE, at << 3, value);
    }

    /**
     * @param i     index along dimension 0 of a rank-2 tensor
     * @param j     index along dimension 1
     * @param value the new element
     */
    public void setLong(long i, long j, long value) {
        setLong(index(i, j), value);
    }

    /**
     * @param i     index along dimension 0 of a rank-3 tensor
     * @param j     index along dimension 1
     * @param k     index along dimension 2
     * @param value the new element
     */
    public void setLong(long i, long j, long k, long value) {
        setLong(index(i, j, k), value);
    }

    // ---- int (I32 or U32) ----

    /**
     * @param i flat (C-order) element index
     * @return the element
     * @throws IpcException INVALID_ARGUMENT unless the dtype is I32 or U32
     * @throws IndexOutOfBoundsException when {@code i} is outside {@code [0, elementCount())}
     */
    public int getInt(long i) {
        if (dtype != DType.I32 && dtype != DType.U32) {
            throw wrongDtype("getInt", "I32 or U32");
        }
        long at = checkFlat(i);
        return data.get(I32_LE, at << 2);
    }

    /**
     * @param i index along dimension 0 of a rank-2 tensor
     * @param j index along dimension 1
     * @return the element
     */
    public int getInt(long i, long j) {
        return getInt(index(i, j));
    }

    /**
     * @param i index along dimension 0 of a rank-3 tensor
     * @param j index along dimension 1
     * @param k index along dimension 2
     * @return the element
     */
    public int getInt(long i, long j, long k) {
        return getInt(index(i, j, k));
    }

    /**
     * @param i     flat (C-order) element index
     * @param value the new element
     * @throws IpcException PERMISSION_DENIED when read-only; INVALID_ARGUMENT unless the dtype is I32 or U32
     */
    public void setInt(long i, int value) {
        checkWritable("setInt");
        if (dtype != DType.I32 && dtype != DType.U32) {
            throw wrongDtype("setInt", "I32 or U32");
        }
        long at = checkFlat(i);
        data.set(I32_LE, at << 2, value);
    }

    /**
     * @param i     index along dimension 0 of a rank-2 tensor
     * @param j     index along dimension 1
     * @param value the new element
     */
    public void setInt(long i, long j, int value) {
        setInt(index(i, j), value);
    }

    /**
     * @param i     index along dimension 0 of a rank-3 tensor
     * @param j     index along dimension 1
     * @param k     index along dimension 2
     * @param value the new element
     */
    public void setInt(long i, long j, long k, int value) {
        setInt(index(i, j, k), value);
    }

    // ---- short (I16 or U16) ----

    /**
     * @param i flat (C-order) element index
     * @return the element
     * @throws IpcException INVALID_ARGUMENT unless the dtype is I16 or U16
     * @throws IndexOutOfBoundsException when {@code i} is outside {@code [0, elementCount())}
     */
    public short getShort(long i) {
        if (dtype != DType.I16 && dtype != DType.U16) {
            throw wrongDtype("getShort", "I16 or U16");
        }
        long at = checkFlat(i);
        return data.get(I16_LE, at << 1);
    }

    /**
     * @param i index along dimension 0 of a rank-2 tensor
     * @param j index along dimension 1
     * @return the element
     */
    public short getShort(long i, long j) {
        return getShort(index(i, j));
    }

    /**
     * @param i index along dimension 0 of a rank-3 tensor
     * @param j index along dimension 1
     * @param k index along dimension 2
     * @return the element
     */
    public short getShort(long i, long j, long k) {
        return getShort(index(i, j, k));
    }

    /**
     * @param i     flat (C-order) element index
     * @param value the new element
     * @throws IpcException PERMISSION_DENIED when read-only; INVALID_ARGUMENT unless the dtype is I16 or U16
     */
    public void setShort(long i, short value) {
        checkWritable("setShort");
        if (dtype != DType.I16 && dtype != DType.U16) {
            throw wrongDtype("setShort", "I16 or U16");
        }
        long at = checkFlat(i);
        data.set(I16_LE, at << 1, value);
    }

    /**
     * @param i     index along dimension 0 of a rank-2 tensor
     * @param j     index along dimension 1
     * @param value the new element
     */
    public void setShort(long i, long j, short value) {
        setShort(index(i, j), value);
    }

    /**
     * @param i     index along dimension 0 of a rank-3 tensor
     * @param j     index along dimension 1
     * @param k     index along dimension 2
     * @param value the new element
     */
    public void setShort(long i, long j, long k, short value) {
        setShort(index(i, j, k), value);
    }

    // ---- byte (I8 or U8) ----

    /**
     * @param i flat (C-order) element index
     * @return the element
     * @throws IpcException INVALID_ARGUMENT unless the dtype is I8 or U8
     * @throws IndexOutOfBoundsException when {@code i} is outside {@code [0, elementCount())}
     */
    public byte getByte(long i) {
        if (dtype != DType.I8 && dtype != DType.U8) {
            throw wrongDtype("getByte", "I8 or U8");
        }
        long at = checkFlat(i);
        return data.get(BYTE, at);
    }

    /**
     * @param i index along dimension 0 of a rank-2 tensor
     * @param j index along dimension 1
     * @return the element
     */
    public byte getByte(long i, long j) {
        return getByte(index(i, j));
    }

    /**
     * @param i index along dimension 0 of a rank-3 tensor
     * @param j index along dimension 1
     * @param k index along dimension 2
     * @return the element
     */
    public byte getByte(long i, long j, long k) {
        return getByte(index(i, j, k));
    }

    /**
     * @param i     flat (C-order) element index
     * @param value the new element
     * @throws IpcException PERMISSION_DENIED when read-only; INVALID_ARGUMENT unless the dtype is I8 or U8
     */
    public void setByte(long i, byte value) {
        checkWritable("setByte");
        if (dtype != DType.I8 && dtype != DType.U8) {
            throw wrongDtype("setByte", "I8 or U8");
        }
        long at = checkFlat(i);
        data.set(BYTE, at, value);
    }

    /**
     * @param i     index along dimension 0 of a rank-2 tensor
     * @param j     index along dimension 1
     * @param value the new element
     */
    public void setByte(long i, long j, byte value) {
        setByte(index(i, j), value);
    }

    /**
     * @param i     index along dimension 0 of a rank-3 tensor
     * @param j     index along dimension 1
     * @param k     index along dimension 2
     * @param value the new element
     */
    public void setByte(long i, long j, long k, byte value) {
        setByte(index(i, j, k), value);
    }

    // ---- boolean (BOOL) ----

    /**
     * @param i flat (C-order) element index
     * @return the element
     * @throws IpcException INVALID_ARGUMENT unless the dtype is BOOL
     * @throws IndexOutOfBoundsException when {@code i} is outside {@code [0, elementCount())}
     */
    public boolean getBoolean(long i) {
        if (dtype != DType.BOOL) {
            throw wrongDtype("getBoolean", "BOOL");
        }
        long at = checkFlat(i);
        return data.get(BYTE, at) != 0;
    }

    /**
     * @param i index along dimension 0 of a rank-2 tensor
     * @param j index along dimension 1
     * @return the element
     */
    public boolean getBoolean(long i, long j) {
        return getBoolean(index(i, j));
    }

    /**
     * @param i index along dimension 0 of a rank-3 tensor
     * @param j index along dimension 1
     * @param k index along dimension 2
     * @return the element
     */
    public boolean getBoolean(long i, long j, long k) {
        return getBoolean(index(i, j, k));
    }

    /**
     * @param i     flat (C-order) element index
     * @param value the new element
     * @throws IpcException PERMISSION_DENIED when read-only; INVALID_ARGUMENT unless the dtype is BOOL
     */
    public void setBoolean(long i, boolean value) {
        checkWritable("setBoolean");
        if (dtype != DType.BOOL) {
            throw wrongDtype("setBoolean", "BOOL");
        }
        long at = checkFlat(i);
        data.set(BYTE, at, value ? (byte) 1 : (byte) 0);
    }

    /**
     * @param i     index along dimension 0 of a rank-2 tensor
     * @param j     index along dimension 1
     * @param value the new element
     */
    public void setBoolean(long i, long j, boolean value) {
        setBoolean(index(i, j), value);
    }

    /**
     * @param i     index along dimension 0 of a rank-3 tensor
     * @param j     index along dimension 1
     * @param k     index along dimension 2
     * @param value the new element
     */
    public void setBoolean(long i, long j, long k, boolean value) {
        setBoolean(index(i, j, k), value);
    }

    // ------------------------------------------------------------------------------------------
    // any dtype

    /**
     * Reads any element as a double: floats widened, integers converted (U8/U16/U32/U64 as
     * unsigned; U64 above 2<sup>53</sup> rounds), BOOL as 0 or 1.
     *
     * @param i flat (C-order) element index
     * @return the element's value
     */
    public double getAsDouble(long i) {
        long at = checkFlat(i);
        return switch (dtype) {
            case F64 -> data.get(F64_LE, at << 3);
            case F32 -> data.get(F32_LE, at << 2);
            case F16 -> Float.float16ToFloat(data.get(I16_LE, at << 1));
            case BF16 -> HalfFloats.bf16ToFloat(data.get(I16_LE, at << 1));
            case I64 -> data.get(I64_LE, at << 3);
            case I32 -> data.get(I32_LE, at << 2);
            case I16 -> data.get(I16_LE, at << 1);
            case I8 -> data.get(BYTE, at);
            case U64 -> unsignedToDouble(data.get(I64_LE, at << 3));
            case U32 -> Integer.toUnsignedLong(data.get(I32_LE, at << 2));
            case U16 -> Short.toUnsignedInt(data.get(I16_LE, at << 1));
            case U8 -> Byte.toUnsignedInt(data.get(BYTE, at));
            case BOOL -> data.get(BYTE, at) != 0 ? 1.0 : 0.0;
        };
    }

    private static double unsignedToDouble(long v) {
        if (v >= 0) {
            return v;
        }
        // halve (keeping the low bit for correct rounding), convert, double
        return ((v >>> 1) | (v & 1)) * 2.0;
    }

    // ------------------------------------------------------------------------------------------
    // bulk copies: same layout through MemorySegment.copy, F16/BF16 <-> float[] by conversion

    // ---- float[] (F32, F16 or BF16) ----

    /**
     * Copies every element into {@code dst}, whose length must equal {@link #elementCount()}.
     *
     * @param dst destination
     * @throws IpcException INVALID_ARGUMENT unless the dtype is F32, F16 or BF16, or on a length mismatch
     */
    public void copyTo(float[] dst) {
        copyTo(0, dst, 0, wholeLength("copyTo(float[])", dst.length));
    }

    /**
     * Copies {@code length} elements starting at flat element {@code fromElement} into
     * {@code dst[dstOffset .. dstOffset + length)}.
     *
     * @param fromElement first flat element to copy
     * @param dst         destination
     * @param dstOffset   first destination index
     * @param length      number of elements
     * @throws IpcException INVALID_ARGUMENT unless the dtype is F32, F16 or BF16
     * @throws IndexOutOfBoundsException when either range falls outside its tensor or array
     */
    public void copyTo(long fromElement, float[] dst, int dstOffset, int length) {
        BulkCopy.copyTo(this, fromElement, dst, dstOffset, length);
    }

    /**
     * Overwrites every element from {@code src}, whose length must equal {@link #elementCount()}.
     *
     * @param src source
     * @throws IpcException PERMISSION_DENIED when read-only; INVALID_ARGUMENT unless the dtype is
     *                     F32, F16 or BF16, or on a length mismatch
     */
    public void copyFrom(float[] src) {
        copyFrom(0, src, 0, wholeLength("copyFrom(float[])", src.length));
    }

    /**
     * Overwrites {@code length} elements starting at flat element {@code toElement} with
     * {@code src[srcOffset .. srcOffset + length)}.
     *
     * @param toElement first flat element to write
     * @param src       source
     * @param srcOffset first source index
     * @param length    number of elements
     * @throws IpcException PERMISSION_DENIED when read-only; INVALID_ARGUMENT unless the dtype is F32, F16 or BF16
     * @throws IndexOutOfBoundsException when either range falls outside its tensor or array
     */
    public void copyFrom(long toElement, float[] src, int srcOffset, int length) {
        checkWritable("copyFrom(float[])");
        BulkCopy.copyFrom(this, toElement, src, srcOffset, length);
    }

    /**
     * @return a new array holding every element (C order)
     * @throws IpcException INVALID_ARGUMENT unless the dtype is F32, F16 or BF16; TOO_LARGE when the
     *                     tensor has more elements than a Java array can hold
     */
    public float[] toFloatArray() {
        float[] a = new float[arrayLength("toFloatArray", "F32, F16 or BF16", BulkCopy.accepts(dtype, float[].class))];
        copyTo(0, a, 0, a.length);
        return a;
    }

    // ---- double[] (F64) ----

    /**
     * Copies every element into {@code dst}, whose length must equal {@link #elementCount()}.
     *
     * @param dst destination
     * @throws IpcException INVALID_ARGUMENT unless the dtype is F64, or on a length mismatch
     */
    public void copyTo(double[] dst) {
        copyTo(0, dst, 0, wholeLength("copyTo(double[])", dst.length));
    }

    /**
     * Copies {@code length} elements starting at flat element {@code fromElement} into
     * {@code dst[dstOffset .. dstOffset + length)}.
     *
     * @param fromElement first flat element to copy
     * @param dst         destination
     * @param dstOffset   first destination index
     * @param length      number of elements
     * @throws IpcException INVALID_ARGUMENT unless the dtype is F64
     * @throws IndexOutOfBoundsException when either range falls outside its tensor or array
     */
    public void copyTo(long fromElement, double[] dst, int dstOffset, int length) {
        BulkCopy.copyTo(this, fromElement, dst, dstOffset, length);
    }

    /**
     * Overwrites every element from {@code src}, whose length must equal {@link #elementCount()}.
     *
     * @param src source
     * @throws IpcException PERMISSION_DENIED when read-only; INVALID_ARGUMENT unless the dtype is
     *                     F64, or on a length mismatch
     */
    public void copyFrom(double[] src) {
        copyFrom(0, src, 0, wholeLength("copyFrom(double[])", src.length));
    }

    /**
     * Overwrites {@code length} elements starting at flat element {@code toElement} with
     * {@code src[srcOffset .. srcOffset + length)}.
     *
     * @param toElement first flat element to write
     * @param src       source
     * @param srcOffset first source index
     * @param length    number of elements
     * @throws IpcException PERMISSION_DENIED when read-only; INVALID_ARGUMENT unless the dtype is F64
     * @throws IndexOutOfBoundsException when either range falls outside its tensor or array
     */
    public void copyFrom(long toElement, double[] src, int srcOffset, int length) {
        checkWritable("copyFrom(double[])");
        BulkCopy.copyFrom(this, toElement, src, srcOffset, length);
    }

    /**
     * @return a new array holding every element (C order)
     * @throws IpcException INVALID_ARGUMENT unless the dtype is F64; TOO_LARGE when the
     *                     tensor has more elements than a Java array can hold
     */
    public double[] toDoubleArray() {
        double[] a = new double[arrayLength("toDoubleArray", "F64", BulkCopy.accepts(dtype, double[].class))];
        copyTo(0, a, 0, a.length);
        return a;
    }

    // ---- long[] (I64 or U64) ----

    /**
     * Copies every element into {@code dst}, whose length must equal {@link #elementCount()}.
     *
     * @param dst destination
     * @throws IpcException INVALID_ARGUMENT unless the dtype is I64 or U64, or on a length mismatch
     */
    public void copyTo(long[] dst) {
        copyTo(0, dst, 0, wholeLength("copyTo(long[])", dst.length));
    }

    /**
     * Copies {@code length} elements starting at flat element {@code fromElement} into
     * {@code dst[dstOffset .. dstOffset + length)}.
     *
     * @param fromElement first flat element to copy
     * @param dst         destination
     * @param dstOffset   first destination index
     * @param length      number of elements
     * @throws IpcException INVALID_ARGUMENT unless the dtype is I64 or U64
     * @throws IndexOutOfBoundsException when either range falls outside its tensor or array
     */
    public void copyTo(long fromElement, long[] dst, int dstOffset, int length) {
        BulkCopy.copyTo(this, fromElement, dst, dstOffset, length);
    }

    /**
     * Overwrites every element from {@code src}, whose length must equal {@link #elementCount()}.
     *
     * @param src source
     * @throws IpcException PERMISSION_DENIED when read-only; INVALID_ARGUMENT unless the dtype is
     *                     I64 or U64, or on a length mismatch
     */
    public void copyFrom(long[] src) {
        copyFrom(0, src, 0, wholeLength("copyFrom(long[])", src.length));
    }

    /**
     * Overwrites {@code length} elements starting at flat element {@code toElement} with
     * {@code src[srcOffset .. srcOffset + length)}.
     *
     * @param toElement first flat element to write
     * @param src       source
     * @param srcOffset first source index
     * @param length    number of elements
     * @throws IpcException PERMISSION_DENIED when read-only; INVALID_ARGUMENT unless the dtype is I64 or U64
     * @throws IndexOutOfBoundsException when either range falls outside its tensor or array
     */
    public void copyFrom(long toElement, long[] src, int srcOffset, int length) {
        checkWritable("copyFrom(long[])");
        BulkCopy.copyFrom(this, toElement, src, srcOffset, length);
    }

    /**
     * @return a new array holding every element (C order)
     * @throws IpcException INVALID_ARGUMENT unless the dtype is I64 or U64; TOO_LARGE when the
     *                     tensor has more elements than a Java array can hold
     */
    public long[] toLongArray() {
        long[] a = new long[arrayLength("toLongArray", "I64 or U64", BulkCopy.accepts(dtype, long[].class))];
        copyTo(0, a, 0, a.length);
        return a;
    }

    // ---- int[] (I32 or U32) ----

    /**
     * Copies every element into {@code dst}, whose length must equal {@link #elementCount()}.
     *
     * @param dst destination
     * @throws IpcException INVALID_ARGUMENT unless the dtype is I32 or U32, or on a length mismatch
     */
    public void copyTo(int[] dst) {
        copyTo(0, dst, 0, wholeLength("copyTo(int[])", dst.length));
    }

    /**
     * Copies {@code length} elements starting at flat element {@code fromElement} into
     * {@code dst[dstOffset .. dstOffset + length)}.
     *
     * @param fromElement first flat element to copy
     * @param dst         destination
     * @param dstOffset   first destination index
     * @param length      number of elements
     * @throws IpcException INVALID_ARGUMENT unless the dtype is I32 or U32
     * @throws IndexOutOfBoundsException when either range falls outside its tensor or array
     */
    public void copyTo(long fromElement, int[] dst, int dstOffset, int length) {
        BulkCopy.copyTo(this, fromElement, dst, dstOffset, length);
    }

    /**
     * Overwrites every element from {@code src}, whose length must equal {@link #elementCount()}.
     *
     * @param src source
     * @throws IpcException PERMISSION_DENIED when read-only; INVALID_ARGUMENT unless the dtype is
     *                     I32 or U32, or on a length mismatch
     */
    public void copyFrom(int[] src) {
        copyFrom(0, src, 0, wholeLength("copyFrom(int[])", src.length));
    }

    /**
     * Overwrites {@code length} elements starting at flat element {@code toElement} with
     * {@code src[srcOffset .. srcOffset + length)}.
     *
     * @param toElement first flat element to write
     * @param src       source
     * @param srcOffset first source index
     * @param length    number of elements
     * @throws IpcException PERMISSION_DENIED when read-only; INVALID_ARGUMENT unless the dtype is I32 or U32
     * @throws IndexOutOfBoundsException when either range falls outside its tensor or array
     */
    public void copyFrom(long toElement, int[] src, int srcOffset, int length) {
        checkWritable("copyFrom(int[])");
        BulkCopy.copyFrom(this, toElement, src, srcOffset, length);
    }

    /**
     * @return a new array holding every element (C order)
     * @throws IpcException INVALID_ARGUMENT unless the dtype is I32 or U32; TOO_LARGE when the
     *                     tensor has more elements than a Java array can hold
     */
    public int[] toIntArray() {
        int[] a = new int[arrayLength("toIntArray", "I32 or U32", BulkCopy.accepts(dtype, int[].class))];
        copyTo(0, a, 0, a.length);
        return a;
    }

    // ---- short[] (I16, U16, F16 or BF16 (raw bits for the 16-bit floats)) ----

    /**
     * Copies every element into {@code dst}, whose length must equal {@link #elementCount()}.
     *
     * @param dst destination
     * @throws IpcException INVALID_ARGUMENT unless the dtype is I16, U16, F16 or BF16 (raw bits for the 16-bit floats), or on a length mismatch
     */
    public void copyTo(short[] dst) {
        copyTo(0, dst, 0, wholeLength("copyTo(short[])", dst.length));
    }

    /**
     * Copies {@code length} elements starting at flat element {@code fromElement} into
     * {@code dst[dstOffset .. dstOffset + length)}.
     *
     * @param fromElement first flat element to copy
     * @param dst         destination
     * @param dstOffset   first destination index
     * @param length      number of elements
     * @throws IpcException INVALID_ARGUMENT unless the dtype is I16, U16, F16 or BF16 (raw bits for the 16-bit floats)
     * @throws IndexOutOfBoundsException when either range falls outside its tensor or array
     */
    public void copyTo(long fromElement, short[] dst, int dstOffset, int length) {
        BulkCopy.copyTo(this, fromElement, dst, dstOffset, length);
    }

    /**
     * Overwrites every element from {@code src}, whose length must equal {@link #elementCount()}.
     *
     * @param src source
     * @throws IpcException PERMISSION_DENIED when read-only; INVALID_ARGUMENT unless the dtype is
     *                     I16, U16, F16 or BF16 (raw bits for the 16-bit floats), or on a length mismatch
     */
    public void copyFrom(short[] src) {
        copyFrom(0, src, 0, wholeLength("copyFrom(short[])", src.length));
    }

    /**
     * Overwrites {@code length} elements starting at flat element {@code toElement} with
     * {@code src[srcOffset .. srcOffset + length)}.
     *
     * @param toElement first flat element to write
     * @param src       source
     * @param srcOffset first source index
     * @param length    number of elements
     * @throws IpcException PERMISSION_DENIED when read-only; INVALID_ARGUMENT unless the dtype is I16, U16, F16 or BF16 (raw bits for the 16-bit floats)
     * @throws IndexOutOfBoundsException when either range falls outside its tensor or array
     */
    public void copyFrom(long toElement, short[] src, int srcOffset, int length) {
        checkWritable("copyFrom(short[])");
        BulkCopy.copyFrom(this, toElement, src, srcOffset, length);
    }

    /**
     * @return a new array holding every element (C order)
     * @throws IpcException INVALID_ARGUMENT unless the dtype is I16, U16, F16 or BF16 (raw bits for the 16-bit floats); TOO_LARGE when the
     *                     tensor has more elements than a Java array can hold
     */
    public short[] toShortArray() {
        short[] a = new short[arrayLength("toShortArray", "I16, U16, F16 or BF16 (raw bits for the 16-bit floats)", BulkCopy.accepts(dtype, short[].class))];
        copyTo(0, a, 0, a.length);
        return a;
    }

    // ---- byte[] (I8, U8 or BOOL) ----

    /**
     * Copies every element into {@code dst}, whose length must equal {@link #elementCount()}.
     *
     * @param dst destination
     * @throws IpcException INVALID_ARGUMENT unless the dtype is I8, U8 or BOOL, or on a length mismatch
     */
    public void copyTo(byte[] dst) {
        copyTo(0, dst, 0, wholeLength("copyTo(byte[])", dst.length));
    }

    /**
     * Copies {@code length} elements starting at flat element {@code fromElement} into
     * {@code dst[dstOffset .. dstOffset + length)}.
     *
     * @param fromElement first flat element to copy
     * @param dst         destination
     * @param dstOffset   first destination index
     * @param length      number of elements
     * @throws IpcException INVALID_ARGUMENT unless the dtype is I8, U8 or BOOL
     * @throws IndexOutOfBoundsException when either range falls outside its tensor or array
     */
    public void copyTo(long fromElement, byte[] dst, int dstOffset, int length) {
        BulkCopy.copyTo(this, fromElement, dst, dstOffset, length);
    }

    /**
     * Overwrites every element from {@code src}, whose length must equal {@link #elementCount()}.
     *
     * @param src source
     * @throws IpcException PERMISSION_DENIED when read-only; INVALID_ARGUMENT unless the dtype is
     *                     I8, U8 or BOOL, or on a length mismatch
     */
    public void copyFrom(byte[] src) {
        copyFrom(0, src, 0, wholeLength("copyFrom(byte[])", src.length));
    }

    /**
     * Overwrites {@code length} elements starting at flat element {@code toElement} with
     * {@code src[srcOffset .. srcOffset + length)}.
     *
     * @param toElement first flat element to write
     * @param src       source
     * @param srcOffset first source index
     * @param length    number of elements
     * @throws IpcException PERMISSION_DENIED when read-only; INVALID_ARGUMENT unless the dtype is I8, U8 or BOOL
     * @throws IndexOutOfBoundsException when either range falls outside its tensor or array
     */
    public void copyFrom(long toElement, byte[] src, int srcOffset, int length) {
        checkWritable("copyFrom(byte[])");
        BulkCopy.copyFrom(this, toElement, src, srcOffset, length);
    }

    /**
     * @return a new array holding every element (C order)
     * @throws IpcException INVALID_ARGUMENT unless the dtype is I8, U8 or BOOL; TOO_LARGE when the
     *                     tensor has more elements than a Java array can hold
     */
    public byte[] toByteArray() {
        byte[] a = new byte[arrayLength("toByteArray", "I8, U8 or BOOL", BulkCopy.accepts(dtype, byte[].class))];
        copyTo(0, a, 0, a.length);
        return a;
    }

    private int wholeLength(String op, int arrayLength) {
        if (arrayLength != elementCount) {
            throw new IpcException(IpcException.Reason.INVALID_ARGUMENT, op + " of tensor " + describe() + ": array has "
                    + arrayLength + " elements, tensor has " + elementCount
                    + " (use the ranged overload for partial copies)");
        }
        return arrayLength;
    }

    private int arrayLength(String op, String dtypes, boolean accepted) {
        if (!accepted) {
            throw wrongDtype(op, dtypes);
        }
        if (elementCount > Integer.MAX_VALUE - 8) {
            throw new IpcException(IpcException.Reason.TOO_LARGE, op + " of tensor " + describe() + ": "
                    + elementCount + " elements do not fit in a Java array; copy ranges or slices instead");
        }
        return (int) elementCount;
    }

    // ------------------------------------------------------------------------------------------
    // views (no copies)

    /**
     * Rows {@code [start, end)} along dimension 0, sharing memory with this tensor.
     *
     * @param start first row, inclusive
     * @param end   last row, exclusive ({@code start <= end <= dim(0)})
     * @return a tensor of shape {@code [end - start, dim(1), ...]}
     * @throws IpcException INVALID_ARGUMENT for a scalar
     * @throws IndexOutOfBoundsException when the range is not inside dimension 0
     */
    public Tensor slice(long start, long end) {
        if (rank == 0) {
            throw new IpcException(IpcException.Reason.INVALID_ARGUMENT, "cannot slice scalar tensor " + describe());
        }
        if (start < 0 || end < start || end > dim0) {
            throw new IndexOutOfBoundsException("slice [" + start + ", " + end + ") is not inside dimension 0 (size "
                    + dim0 + ") of tensor " + describe());
        }
        long[] s = shape.clone();
        s[0] = end - start;
        long elementBytes = dtype.byteSize();
        MemorySegment view = data.asSlice(start * stride0 * elementBytes, s[0] * stride0 * elementBytes);
        return new Tensor(name, dtype, s, s[0] * stride0, view);
    }

    /**
     * One entry along dimension 0 with that dimension dropped: row {@code i} of a matrix is a
     * vector, entry {@code i} of a vector is a scalar. Shares memory with this tensor.
     *
     * @param i index along dimension 0
     * @return a tensor of shape {@code [dim(1), ...]}
     * @throws IpcException INVALID_ARGUMENT for a scalar
     * @throws IndexOutOfBoundsException when {@code i} is outside dimension 0
     */
    public Tensor row(long i) {
        if (rank == 0) {
            throw new IpcException(IpcException.Reason.INVALID_ARGUMENT, "scalar tensor " + describe() + " has no rows");
        }
        if (Long.compareUnsigned(i, dim0) >= 0) {
            throw outOfBounds(0, i);
        }
        long[] s = Arrays.copyOfRange(shape, 1, rank);
        long elementBytes = dtype.byteSize();
        return new Tensor(name, dtype, s, stride0, data.asSlice(i * stride0 * elementBytes, stride0 * elementBytes));
    }

    /**
     * The same elements in the same order under another shape. One dimension may be {@code -1}:
     * it is inferred from the others.
     *
     * @param newShape dimensions whose product equals {@link #elementCount()}
     * @return a tensor sharing memory with this one
     * @throws IpcException INVALID_ARGUMENT when the element counts differ or the shape is invalid
     */
    public Tensor reshape(long... newShape) {
        long[] s = newShape.clone();
        int inferred = -1;
        long known = 1;
        for (int d = 0; d < s.length; d++) {
            if (s[d] == -1 && inferred < 0) {
                inferred = d;
            } else if (s[d] < 0) {
                throw new IpcException(IpcException.Reason.INVALID_ARGUMENT, "reshape of tensor " + describe()
                        + " to " + Arrays.toString(newShape) + ": dimensions must be >= 0 (one may be -1)");
            } else {
                try {
                    known = Math.multiplyExact(known, s[d]);
                } catch (ArithmeticException e) {
                    throw new IpcException(IpcException.Reason.INVALID_ARGUMENT, "reshape of tensor " + describe()
                            + " to " + Arrays.toString(newShape) + ": the shape overflows");
                }
            }
        }
        if (inferred >= 0) {
            if (known == 0 || elementCount % known != 0) {
                throw new IpcException(IpcException.Reason.INVALID_ARGUMENT, "reshape of tensor " + describe()
                        + " to " + Arrays.toString(newShape) + ": cannot infer the -1 dimension");
            }
            s[inferred] = elementCount / known;
        }
        long count = elementCount(s);
        if (count != elementCount) {
            throw new IpcException(IpcException.Reason.INVALID_ARGUMENT, "reshape of tensor " + describe() + " to "
                    + Arrays.toString(newShape) + ": " + count + " elements, tensor has " + elementCount);
        }
        return new Tensor(name, dtype, s, count, data);
    }

    /**
     * @param newName a name
     * @return the same tensor (same memory) under another name
     */
    public Tensor withName(String newName) {
        return new Tensor(Objects.requireNonNull(newName, "newName"), dtype, shape, elementCount, data);
    }

    /** @return a read-only view of the same memory (this tensor when already read-only) */
    public Tensor asReadOnly() {
        return readOnly ? this : new Tensor(name, dtype, shape, elementCount, data.asReadOnly());
    }

    // ------------------------------------------------------------------------------------------
    // errors (kept out of the accessors so those stay small enough to inline)

    private void checkWritable(String op) {
        if (readOnly) {
            throw new IpcException(IpcException.Reason.PERMISSION_DENIED,
                    op + ": tensor " + describe() + " is read-only");
        }
    }

    IpcException wrongDtype(String op, String expected) {
        return new IpcException(IpcException.Reason.INVALID_ARGUMENT,
                op + ": tensor " + describe() + " has dtype " + dtype + ", this needs " + expected);
    }

    private IpcException rankMismatch(int expected) {
        return new IpcException(IpcException.Reason.INVALID_ARGUMENT, expected + " indices given but tensor "
                + describe() + " has rank " + rank);
    }

    /** The error for the first of up to three indices that is out of range. */
    private IndexOutOfBoundsException outOfBounds(long i, long j, long k) {
        long[] given = {i, j, k};
        for (int d = 0; d < rank; d++) {
            if (Long.compareUnsigned(given[d], shape[d]) >= 0) {
                return outOfBounds(d, given[d]);
            }
        }
        return new IndexOutOfBoundsException("index out of bounds for tensor " + describe());
    }

    private IndexOutOfBoundsException outOfBounds(int dimension, long index) {
        return new IndexOutOfBoundsException("index " + index + " out of bounds for dimension " + dimension + " (size "
                + shape[dimension] + ") of tensor " + describe());
    }

    private IndexOutOfBoundsException flatOutOfBounds(long index) {
        return new IndexOutOfBoundsException("flat index " + index + " out of bounds for tensor " + describe()
                + " of " + elementCount + " elements");
    }

    /** @return {@code 'name' DTYPE[d0, d1, ...]} for messages */
    String describe() {
        return "'" + name + "' " + dtype + Arrays.toString(shape);
    }

    @Override
    public String toString() {
        return "Tensor[" + name + ", " + dtype + Arrays.toString(shape) + (readOnly ? ", read-only" : "") + "]";
    }
}

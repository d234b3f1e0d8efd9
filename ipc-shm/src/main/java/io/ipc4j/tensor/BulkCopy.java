package io.ipc4j.tensor;

import io.ipc4j.IpcException;

import java.lang.foreign.MemorySegment;

import static io.ipc4j.tensor.Tensor.BYTE;
import static io.ipc4j.tensor.Tensor.F32_LE;
import static io.ipc4j.tensor.Tensor.F64_LE;
import static io.ipc4j.tensor.Tensor.I16_LE;
import static io.ipc4j.tensor.Tensor.I32_LE;
import static io.ipc4j.tensor.Tensor.I64_LE;

/**
 * The bulk copies behind {@link Tensor}'s {@code copyTo}/{@code copyFrom}: same-layout copies go
 * through {@link MemorySegment#copy} (one intrinsic memcpy, byte-swapping only on big-endian
 * hosts); F16 and BF16 to and from {@code float[]} convert element by element.
 */
final class BulkCopy {
    private BulkCopy() {
    }

    /**
     * @param dtype     a tensor's dtype
     * @param arrayType {@code float[].class}, {@code double[].class}, ...
     * @return true when that array type can be copied to and from such a tensor
     */
    static boolean accepts(DType dtype, Class<?> arrayType) {
        DType d = dtype;
        if (arrayType == float[].class) {
            return d == DType.F32 || d == DType.F16 || d == DType.BF16;
        }
        if (arrayType == double[].class) {
            return d == DType.F64;
        }
        if (arrayType == long[].class) {
            return d == DType.I64 || d == DType.U64;
        }
        if (arrayType == int[].class) {
            return d == DType.I32 || d == DType.U32;
        }
        if (arrayType == short[].class) {
            return d == DType.I16 || d == DType.U16 || d == DType.F16 || d == DType.BF16;
        }
        if (arrayType == byte[].class) {
            return d == DType.I8 || d == DType.U8 || d == DType.BOOL;
        }
        return false;
    }

    /** Checks both ranges of a partial copy, naming whichever falls outside. */
    private static void checkRanges(Tensor t, String op, long element, int length, int arrayOffset, int arrayLength) {
        if (length < 0) {
            throw new IndexOutOfBoundsException(op + ": negative length " + length);
        }
        if (element < 0 || element > t.elementCount() - length) {
            throw new IndexOutOfBoundsException(op + ": elements [" + element + ", " + (element + length)
                    + ") are not inside tensor " + t.describe() + " of " + t.elementCount() + " elements");
        }
        if (arrayOffset < 0 || arrayOffset > arrayLength - length) {
            throw new IndexOutOfBoundsException(op + ": array range [" + arrayOffset + ", " + ((long) arrayOffset + length)
                    + ") is not inside an array of length " + arrayLength);
        }
    }

    private static IpcException wrong(Tensor t, String op, String expected) {
        return t.wrongDtype(op, expected);
    }

    static void copyTo(Tensor t, long from, float[] dst, int off, int len) {
        DType d = t.dtype();
        if (!(d == DType.F32 || d == DType.F16 || d == DType.BF16)) {
            throw wrong(t, "copyTo(float[])", "F32, F16 or BF16");
        }
        checkRanges(t, "copyTo(float[])", from, len, off, dst.length);
        MemorySegment seg = t.segment();
        if (d == DType.F32) {
            MemorySegment.copy(seg, F32_LE, from << 2, dst, off, len);
        } else if (d == DType.F16) {
            for (int k = 0; k < len; k++) {
                dst[off + k] = Float.float16ToFloat(seg.get(I16_LE, (from + k) << 1));
            }
        } else {
            for (int k = 0; k < len; k++) {
                dst[off + k] = HalfFloats.bf16ToFloat(seg.get(I16_LE, (from + k) << 1));
            }
        }
    }

    static void copyFrom(Tensor t, long to, float[] src, int off, int len) {
        DType d = t.dtype();
        if (!(d == DType.F32 || d == DType.F16 || d == DType.BF16)) {
            throw wrong(t, "copyFrom(float[])", "F32, F16 or BF16");
        }
        checkRanges(t, "copyFrom(float[])", to, len, off, src.length);
        MemorySegment seg = t.segment();
        if (d == DType.F32) {
            MemorySegment.copy(src, off, seg, F32_LE, to << 2, len);
        } else if (d == DType.F16) {
            for (int k = 0; k < len; k++) {
                seg.set(I16_LE, (to + k) << 1, Float.floatToFloat16(src[off + k]));
            }
        } else {
            for (int k = 0; k < len; k++) {
                seg.set(I16_LE, (to + k) << 1, HalfFloats.floatToBf16(src[off + k]));
            }
        }
    }

    static void copyTo(Tensor t, long from, double[] dst, int off, int len) {
        DType d = t.dtype();
        if (!(d == DType.F64)) {
            throw wrong(t, "copyTo(double[])", "F64");
        }
        checkRanges(t, "copyTo(double[])", from, len, off, dst.length);
        MemorySegment seg = t.segment();
        MemorySegment.copy(seg, F64_LE, from << 3, dst, off, len);
    }

    static void copyFrom(Tensor t, long to, double[] src, int off, int len) {
        DType d = t.dtype();
        if (!(d == DType.F64)) {
            throw wrong(t, "copyFrom(double[])", "F64");
        }
        checkRanges(t, "copyFrom(double[])", to, len, off, src.length);
        MemorySegment seg = t.segment();
        MemorySegment.copy(src, off, seg, F64_LE, to << 3, len);
    }

    static void copyTo(Tensor t, long from, long[] dst, int off, int len) {
        DType d = t.dtype();
        if (!(d == DType.I64 || d == DType.U64)) {
            throw wrong(t, "copyTo(long[])", "I64 or U64");
        }
        checkRanges(t, "copyTo(long[])", from, len, off, dst.length);
        MemorySegment seg = t.segment();
        MemorySegment.copy(seg, I64_LE, from << 3, dst, off, len);
    }

    static void copyFrom(Tensor t, long to, long[] src, int off, int len) {
        DType d = t.dtype();
        if (!(d == DType.I64 || d == DType.U64)) {
            throw wrong(t, "copyFrom(long[])", "I64 or U64");
        }
        checkRanges(t, "copyFrom(long[])", to, len, off, src.length);
        MemorySegment seg = t.segment();
        MemorySegment.copy(src, off, seg, I64_LE, to << 3, len);
    }

    static void copyTo(Tensor t, long from, int[] dst, int off, int len) {
        DType d = t.dtype();
        if (!(d == DType.I32 || d == DType.U32)) {
            throw wrong(t, "copyTo(int[])", "I32 or U32");
        }
        checkRanges(t, "copyTo(int[])", from, len, off, dst.length);
        MemorySegment seg = t.segment();
        MemorySegment.copy(seg, I32_LE, from << 2, dst, off, len);
    }

    static void copyFrom(Tensor t, long to, int[] src, int off, int len) {
        DType d = t.dtype();
        if (!(d == DType.I32 || d == DType.U32)) {
            throw wrong(t, "copyFrom(int[])", "I32 or U32");
        }
        checkRanges(t, "copyFrom(int[])", to, len, off, src.length);
        MemorySegment seg = t.segment();
        MemorySegment.copy(src, off, seg, I32_LE, to << 2, len);
    }

    static void copyTo(Tensor t, long from, short[] dst, int off, int len) {
        DType d = t.dtype();
        if (!(d == DType.I16 || d == DType.U16 || d == DType.F16 || d == DType.BF16)) {
            throw wrong(t, "copyTo(short[])", "I16, U16, F16 or BF16");
        }
        checkRanges(t, "copyTo(short[])", from, len, off, dst.length);
        MemorySegment seg = t.segment();
        MemorySegment.copy(seg, I16_LE, from << 1, dst, off, len);
    }

    static void copyFrom(Tensor t, long to, short[] src, int off, int len) {
        DType d = t.dtype();
        if (!(d == DType.I16 || d == DType.U16 || d == DType.F16 || d == DType.BF16)) {
            throw wrong(t, "copyFrom(short[])", "I16, U16, F16 or BF16");
        }
        checkRanges(t, "copyFrom(short[])", to, len, off, src.length);
        MemorySegment seg = t.segment();
        MemorySegment.copy(src, off, seg, I16_LE, to << 1, len);
    }

    static void copyTo(Tensor t, long from, byte[] dst, int off, int len) {
        DType d = t.dtype();
        if (!(d == DType.I8 || d == DType.U8 || d == DType.BOOL)) {
            throw wrong(t, "copyTo(byte[])", "I8, U8 or BOOL");
        }
        checkRanges(t, "copyTo(byte[])", from, len, off, dst.length);
        MemorySegment seg = t.segment();
        MemorySegment.copy(seg, BYTE, from, dst, off, len);
    }

    static void copyFrom(Tensor t, long to, byte[] src, int off, int len) {
        DType d = t.dtype();
        if (!(d == DType.I8 || d == DType.U8 || d == DType.BOOL)) {
            throw wrong(t, "copyFrom(byte[])", "I8, U8 or BOOL");
        }
        checkRanges(t, "copyFrom(byte[])", to, len, off, src.length);
        MemorySegment seg = t.segment();
        MemorySegment.copy(src, off, seg, BYTE, to, len);
    }
}

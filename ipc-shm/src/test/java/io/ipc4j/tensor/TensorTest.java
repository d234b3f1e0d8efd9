package io.ipc4j.tensor;

import io.ipc4j.IpcException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TensorTest {
    private Arena arena;

    @BeforeEach
    void openArena() {
        arena = Arena.ofConfined();
    }

    @AfterEach
    void closeArena() {
        arena.close();
    }

    private Tensor alloc(DType dtype, long... shape) {
        return Tensor.allocate("t", dtype, shape, arena);
    }

    // ---------------------------------------------------------------- shape, strides, indices

    @Test
    void stridesAreCOrderInElements() {
        Tensor t = alloc(DType.F32, 2, 3, 4);
        assertArrayEquals(new long[] {12, 4, 1}, t.strides());
        assertEquals(24, t.elementCount());
        assertEquals(96, t.byteSize());
        assertEquals(3, t.rank());
        assertEquals(3, t.dim(1));
        assertEquals(1 * 12 + 2 * 4 + 3, t.flatIndex(1, 2, 3));
        assertEquals(t.flatIndex(1, 2, 3), t.index(1, 2, 3));
        assertArrayEquals(new long[0], alloc(DType.F32).strides());
        assertArrayEquals(new long[] {0, 5, 1}, alloc(DType.F32, 0, 0, 5).strides());
        assertEquals(0, alloc(DType.F32, 0, 5).elementCount());
    }

    @Test
    void shapeAndStridesAreDefensiveCopies() {
        Tensor t = alloc(DType.F32, 2, 3);
        t.shape()[0] = 99;
        t.strides()[0] = 99;
        assertArrayEquals(new long[] {2, 3}, t.shape());
        assertArrayEquals(new long[] {3, 1}, t.strides());
    }

    @Test
    void indicesOutOfRangeNameDimensionAndTensor() {
        Tensor t = alloc(DType.F32, 2, 3);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> t.flatIndex(1, 3));
        assertTrue(e.getMessage().contains("dimension 1") && e.getMessage().contains("size 3")
                && e.getMessage().contains("'t' F32[2, 3]"), e.getMessage());
        e = assertThrows(IndexOutOfBoundsException.class, () -> t.getFloat(2, 0));
        assertTrue(e.getMessage().contains("index 2") && e.getMessage().contains("dimension 0"), e.getMessage());
        e = assertThrows(IndexOutOfBoundsException.class, () -> t.getFloat(0, -1));
        assertTrue(e.getMessage().contains("index -1") && e.getMessage().contains("dimension 1"), e.getMessage());
        e = assertThrows(IndexOutOfBoundsException.class, () -> t.getFloat(6));
        assertTrue(e.getMessage().contains("flat index 6") && e.getMessage().contains("6 elements"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> t.getFloat(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> t.getFloat(Long.MIN_VALUE));
        // an index whose byte offset would wrap around must not alias element 0
        assertThrows(IndexOutOfBoundsException.class, () -> t.getFloat(1L << 62));
        assertThrows(IndexOutOfBoundsException.class, () -> t.setFloat(1L << 62, 1f));

        Tensor c = alloc(DType.I32, 2, 3, 4);
        e = assertThrows(IndexOutOfBoundsException.class, () -> c.getInt(1, 2, 4));
        assertTrue(e.getMessage().contains("dimension 2") && e.getMessage().contains("size 4"), e.getMessage());
    }

    @Test
    void wrongNumberOfIndicesSaysTheRank() {
        Tensor t = alloc(DType.F32, 2, 3);
        IpcException e = assertThrows(IpcException.class, () -> t.flatIndex(1));
        assertEquals(IpcException.Reason.INVALID_ARGUMENT, e.reason());
        assertTrue(e.getMessage().contains("rank 2"), e.getMessage());
        e = assertThrows(IpcException.class, () -> t.getFloat(0, 0, 0));
        assertTrue(e.getMessage().contains("rank 2"), e.getMessage());
        assertThrows(IpcException.class, () -> alloc(DType.F32, 6).getFloat(0, 0));
    }

    @Test
    void ofChecksTheByteSize() {
        MemorySegment seg = arena.allocate(20);
        IpcException e = assertThrows(IpcException.class, () -> Tensor.of("x", DType.F32, new long[] {2, 3}, seg));
        assertEquals(IpcException.Reason.INVALID_ARGUMENT, e.reason());
        assertTrue(e.getMessage().contains("needs 24 bytes") && e.getMessage().contains("20"), e.getMessage());
        assertThrows(IpcException.class, () -> Tensor.allocate("x", DType.F32, new long[] {-1}, arena));
        assertThrows(IpcException.class, () -> Tensor.byteSize(DType.F64, new long[] {1L << 62}));
    }

    // ---------------------------------------------------------------- element access per dtype

    @Test
    void everyDtypeRoundTripsThroughItsAccessorAndGetAsDouble() {
        Tensor f64 = alloc(DType.F64, 3);
        f64.setDouble(1, -1.25e300);
        assertEquals(-1.25e300, f64.getDouble(1));
        assertEquals(-1.25e300, f64.getAsDouble(1));

        Tensor f32 = alloc(DType.F32, 3);
        f32.setFloat(2, 3.5f);
        assertEquals(3.5f, f32.getFloat(2));
        assertEquals(3.5, f32.getAsDouble(2));

        Tensor f16 = alloc(DType.F16, 3);
        f16.setFloat(0, -0.333f);
        assertEquals(Float.float16ToFloat(Float.floatToFloat16(-0.333f)), f16.getFloat(0));
        assertEquals(f16.getFloat(0), (float) f16.getAsDouble(0));

        Tensor bf16 = alloc(DType.BF16, 3);
        bf16.setFloat(1, 1f + 3 * 0x1p-8f);
        assertEquals(1f + 0x1p-6f, bf16.getFloat(1)); // rounded to even on the way in
        assertEquals(1f + 0x1p-6f, (float) bf16.getAsDouble(1));

        for (DType d : new DType[] {DType.I64, DType.U64}) {
            Tensor t = alloc(d, 2);
            t.setLong(1, -2L);
            assertEquals(-2L, t.getLong(1));
        }
        Tensor u64 = alloc(DType.U64, 1);
        u64.setLong(0, -1L);
        assertEquals(0x1p64, u64.getAsDouble(0)); // 2^64 - 1 rounds to 2^64
        u64.setLong(0, Long.MIN_VALUE + 1);
        assertEquals(0x1p63, u64.getAsDouble(0));
        Tensor i64 = alloc(DType.I64, 1);
        i64.setLong(0, -7);
        assertEquals(-7.0, i64.getAsDouble(0));

        Tensor i32 = alloc(DType.I32, 2);
        i32.setInt(1, Integer.MIN_VALUE);
        assertEquals(Integer.MIN_VALUE, i32.getInt(1));
        assertEquals(Integer.MIN_VALUE, i32.getAsDouble(1));
        Tensor u32 = alloc(DType.U32, 2);
        u32.setInt(1, -1);
        assertEquals(-1, u32.getInt(1));
        assertEquals(4294967295.0, u32.getAsDouble(1));

        Tensor i16 = alloc(DType.I16, 2);
        i16.setShort(0, (short) -300);
        assertEquals((short) -300, i16.getShort(0));
        assertEquals(-300.0, i16.getAsDouble(0));
        Tensor u16 = alloc(DType.U16, 2);
        u16.setShort(0, (short) -1);
        assertEquals(65535.0, u16.getAsDouble(0));

        Tensor i8 = alloc(DType.I8, 2);
        i8.setByte(1, (byte) -128);
        assertEquals((byte) -128, i8.getByte(1));
        assertEquals(-128.0, i8.getAsDouble(1));
        Tensor u8 = alloc(DType.U8, 2);
        u8.setByte(1, (byte) 200);
        assertEquals((byte) 200, u8.getByte(1));
        assertEquals(200.0, u8.getAsDouble(1));

        Tensor bool = alloc(DType.BOOL, 2);
        bool.setBoolean(0, true);
        assertTrue(bool.getBoolean(0));
        assertFalse(bool.getBoolean(1));
        assertEquals(1, bool.segment().get(ValueLayout.JAVA_BYTE, 0));
        assertEquals(1.0, bool.getAsDouble(0));
        assertEquals(0.0, bool.getAsDouble(1));
    }

    @Test
    void multiDimensionalAccessorsHitTheFlatElement() {
        Tensor m = alloc(DType.F32, 2, 3);
        m.setFloat(1, 2, 7f);
        assertEquals(7f, m.getFloat(5));
        Tensor c = alloc(DType.I64, 2, 3, 4);
        c.setLong(1, 2, 3, 42L);
        assertEquals(42L, c.getLong(23));
        assertEquals(42L, c.getLong(1, 2, 3));
        Tensor d = alloc(DType.F64, 2, 2);
        d.setDouble(1, 0, 1.5);
        assertEquals(1.5, d.getDouble(2));
        Tensor b = alloc(DType.BOOL, 2, 2, 2);
        b.setBoolean(1, 1, 1, true);
        assertTrue(b.getBoolean(7));
        Tensor s = alloc(DType.I16, 3, 3);
        s.setShort(2, 2, (short) 9);
        assertEquals((short) 9, s.getShort(8));
        Tensor bytes = alloc(DType.U8, 2, 2);
        bytes.setByte(0, 1, (byte) 5);
        assertEquals((byte) 5, bytes.getByte(0, 1));
        Tensor ints = alloc(DType.I32, 2, 2, 2);
        ints.setInt(0, 1, 0, 11);
        assertEquals(11, ints.getInt(2));
    }

    @Test
    void dataIsLittleEndian() {
        Tensor t = alloc(DType.I32, 1);
        t.setInt(0, 0x01020304);
        assertEquals(0x04, t.segment().get(ValueLayout.JAVA_BYTE, 0));
        assertEquals(0x01, t.segment().get(ValueLayout.JAVA_BYTE, 3));
        Tensor f = alloc(DType.F32, 1);
        f.setFloat(0, 1.0f); // 0x3F800000
        assertEquals((byte) 0x3F, f.segment().get(ValueLayout.JAVA_BYTE, 3));
        Tensor h = alloc(DType.BF16, 1);
        h.setFloat(0, 1.0f); // 0x3F80
        assertEquals((byte) 0x80, h.segment().get(ValueLayout.JAVA_BYTE, 0));
        assertEquals((byte) 0x3F, h.segment().get(ValueLayout.JAVA_BYTE, 1));
    }

    @Test
    void wrongDtypeAccessorSaysTheDtype() {
        Tensor t = alloc(DType.BF16, 2);
        IpcException e = assertThrows(IpcException.class, () -> t.getDouble(0));
        assertEquals(IpcException.Reason.INVALID_ARGUMENT, e.reason());
        assertTrue(e.getMessage().contains("BF16") && e.getMessage().contains("F64") && e.getMessage().contains("getDouble"),
                e.getMessage());
        assertThrows(IpcException.class, () -> alloc(DType.I32, 1).getFloat(0));
        assertThrows(IpcException.class, () -> alloc(DType.I32, 1).setFloat(0, 1f));
        assertThrows(IpcException.class, () -> alloc(DType.F32, 1).getInt(0));
        assertThrows(IpcException.class, () -> alloc(DType.I64, 1).getInt(0));
        assertThrows(IpcException.class, () -> alloc(DType.U8, 1).getBoolean(0));
        assertThrows(IpcException.class, () -> alloc(DType.BOOL, 1).setByte(0, (byte) 1));
        assertThrows(IpcException.class, () -> alloc(DType.F16, 1).getShort(0));
        assertThrows(IpcException.class, () -> alloc(DType.F64, 1).setLong(0, 1));
    }

    @Test
    void misalignedMemoryIsAccepted() {
        MemorySegment seg = arena.allocate(64, 8).asSlice(1, 16);
        Tensor t = Tensor.of("odd", DType.F32, new long[] {4}, seg);
        t.setFloat(3, 2.5f);
        assertEquals(2.5f, t.getFloat(3));
        float[] out = t.toFloatArray();
        assertEquals(2.5f, out[3]);
        // heap memory works as well
        byte[] heap = new byte[17];
        Tensor h = Tensor.of("heap", DType.F64, new long[] {2}, MemorySegment.ofArray(heap).asSlice(1));
        h.setDouble(1, 9.0);
        assertEquals(9.0, h.getDouble(1));
    }

    @Test
    void allocateAlignsAndZeroes() {
        Tensor t = alloc(DType.F64, 5);
        assertEquals(0, t.segment().address() % 64);
        assertArrayEquals(new double[5], t.toDoubleArray());
    }

    // ---------------------------------------------------------------- views

    @Test
    void sliceRowAndReshapeShareMemory() {
        Tensor m = Tensor.ofFloats("m", new long[] {4, 3}, new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, arena);
        Tensor s = m.slice(1, 3);
        assertArrayEquals(new long[] {2, 3}, s.shape());
        assertEquals(3f, s.getFloat(0, 0));
        assertEquals(8f, s.getFloat(1, 2));
        s.setFloat(0, 1, 40f);
        assertEquals(40f, m.getFloat(1, 1));
        assertEquals(m.segment().address() + 12, s.segment().address());

        Tensor r = m.row(2);
        assertArrayEquals(new long[] {3}, r.shape());
        assertEquals(6f, r.getFloat(0));
        r.setFloat(2, -8f);
        assertEquals(-8f, m.getFloat(2, 2));
        Tensor scalar = r.row(1);
        assertEquals(0, scalar.rank());
        assertEquals(7f, scalar.getFloat(0));

        Tensor flat = m.reshape(12);
        assertEquals(-8f, flat.getFloat(8));
        Tensor cube = m.reshape(2, -1, 3);
        assertArrayEquals(new long[] {2, 2, 3}, cube.shape());
        cube.setFloat(1, 1, 2, 99f);
        assertEquals(99f, m.getFloat(3, 2));
        assertEquals(m.segment().address(), cube.segment().address());

        assertEquals(0, m.slice(2, 2).elementCount());
        assertEquals(12, m.slice(0, 4).elementCount());
        Tensor named = m.withName("other");
        assertEquals("other", named.name());
        named.setFloat(0, 5f);
        assertEquals(5f, m.getFloat(0));
    }

    @Test
    void viewsRejectBadArguments() {
        Tensor m = alloc(DType.F32, 4, 3);
        assertThrows(IndexOutOfBoundsException.class, () -> m.slice(3, 5));
        assertThrows(IndexOutOfBoundsException.class, () -> m.slice(-1, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> m.slice(3, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> m.row(4));
        assertThrows(IpcException.class, () -> m.reshape(5, 2));
        assertThrows(IpcException.class, () -> m.reshape(-1, -1));
        assertThrows(IpcException.class, () -> m.reshape(5, -1));
        assertThrows(IpcException.class, () -> m.reshape(-2, -6));
        assertThrows(IpcException.class, () -> m.reshape(1L << 40, 1L << 40));
        Tensor scalar = alloc(DType.F32);
        assertThrows(IpcException.class, () -> scalar.slice(0, 0));
        assertThrows(IpcException.class, () -> scalar.row(0));
        IpcException e = assertThrows(IpcException.class, () -> m.reshape(7));
        assertTrue(e.getMessage().contains("12"), e.getMessage());
    }

    // ---------------------------------------------------------------- bulk copies

    @Test
    void bulkCopiesRoundTripForEveryArrayType() {
        float[] fl = {1.5f, -2f, 3.25f, 0f};
        assertArrayEquals(fl, Tensor.ofFloats("f", new long[] {2, 2}, fl, arena).toFloatArray());
        double[] db = {1e-300, -2, Math.PI};
        assertArrayEquals(db, Tensor.ofDoubles("d", new long[] {3}, db, arena).toDoubleArray());
        long[] lg = {Long.MIN_VALUE, 0, Long.MAX_VALUE};
        assertArrayEquals(lg, Tensor.ofLongs("l", new long[] {3}, lg, arena).toLongArray());
        int[] in = {Integer.MIN_VALUE, 7};
        assertArrayEquals(in, Tensor.ofInts("i", new long[] {2}, in, arena).toIntArray());

        short[] sh = {-1, 2, 3};
        for (DType d : new DType[] {DType.I16, DType.U16, DType.F16, DType.BF16}) {
            Tensor t = alloc(d, 3);
            t.copyFrom(sh);
            assertArrayEquals(sh, t.toShortArray(), d.name());
        }
        byte[] by = {-1, 0, 1};
        for (DType d : new DType[] {DType.I8, DType.U8, DType.BOOL}) {
            Tensor t = alloc(d, 3);
            t.copyFrom(by);
            assertArrayEquals(by, t.toByteArray(), d.name());
        }
        Tensor u64 = alloc(DType.U64, 3);
        u64.copyFrom(lg);
        assertArrayEquals(lg, u64.toLongArray());
        Tensor u32 = alloc(DType.U32, 2);
        u32.copyFrom(in);
        assertArrayEquals(in, u32.toIntArray());
    }

    @Test
    void bulkCopiesMatchElementAccess() {
        Tensor t = alloc(DType.I32, 2, 3);
        t.copyFrom(new int[] {1, 2, 3, 4, 5, 6});
        assertEquals(6, t.getInt(1, 2));
        t.setInt(0, 1, 20);
        assertArrayEquals(new int[] {1, 20, 3, 4, 5, 6}, t.toIntArray());
    }

    @Test
    void halfFloatBulkCopiesConvert() {
        float[] src = {1f, 1f + 0x1p-11f, 65520f, -0.0f, Float.NaN, 0x1p-24f, Float.NEGATIVE_INFINITY};
        Tensor f16 = alloc(DType.F16, src.length);
        f16.copyFrom(src);
        float[] back = f16.toFloatArray();
        for (int k = 0; k < src.length; k++) {
            assertEquals(Float.float16ToFloat(Float.floatToFloat16(src[k])), back[k], "element " + k);
            assertEquals(back[k], f16.getFloat(k));
        }
        assertEquals(1f, back[1]);
        assertEquals(Float.POSITIVE_INFINITY, back[2]);

        Tensor bf16 = alloc(DType.BF16, src.length);
        bf16.copyFrom(src);
        float[] bb = bf16.toFloatArray();
        for (int k = 0; k < src.length; k++) {
            assertEquals(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(src[k])), bb[k], "element " + k);
            assertEquals(bb[k], bf16.getFloat(k));
        }
        // partial conversion copies
        float[] part = new float[5];
        bf16.copyTo(1, part, 2, 3);
        assertArrayEquals(new float[] {0, 0, bb[1], bb[2], bb[3]}, part);
        f16.copyFrom(5, new float[] {9f, 2f, 3f}, 1, 2);
        assertEquals(2f, f16.getFloat(5));
        assertEquals(3f, f16.getFloat(6));
    }

    @Test
    void partialCopiesAndTheirBounds() {
        Tensor t = Tensor.ofFloats("p", new long[] {6}, new float[] {0, 1, 2, 3, 4, 5}, arena);
        float[] dst = new float[4];
        t.copyTo(2, dst, 1, 3);
        assertArrayEquals(new float[] {0, 2, 3, 4}, dst);
        t.copyFrom(4, new float[] {7, 8, 9}, 1, 2);
        assertArrayEquals(new float[] {0, 1, 2, 3, 8, 9}, t.toFloatArray());
        t.copyTo(6, dst, 4, 0); // empty copy at the very end is fine

        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> t.copyTo(4, dst, 0, 3));
        assertTrue(e.getMessage().contains("[4, 7)") && e.getMessage().contains("6 elements"), e.getMessage());
        e = assertThrows(IndexOutOfBoundsException.class, () -> t.copyTo(0, dst, 2, 3));
        assertTrue(e.getMessage().contains("array range [2, 5)") && e.getMessage().contains("length 4"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> t.copyTo(-1, dst, 0, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> t.copyTo(0, dst, -1, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> t.copyTo(0, dst, 0, -1));
        assertThrows(IndexOutOfBoundsException.class, () -> t.copyTo(Long.MAX_VALUE, dst, 0, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> t.copyFrom(5, new float[3], 0, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> t.copyFrom(0, new float[3], 2, 2));

        IpcException len = assertThrows(IpcException.class, () -> t.copyTo(new float[5]));
        assertEquals(IpcException.Reason.INVALID_ARGUMENT, len.reason());
        assertTrue(len.getMessage().contains("5") && len.getMessage().contains("6"), len.getMessage());
        assertThrows(IpcException.class, () -> t.copyFrom(new float[7]));
        // nothing was written by the failed copies
        assertArrayEquals(new float[] {0, 1, 2, 3, 8, 9}, t.toFloatArray());
    }

    @Test
    void bulkCopiesOfTheWrongTypeSayTheDtype() {
        Tensor t = alloc(DType.F32, 2);
        IpcException e = assertThrows(IpcException.class, () -> t.copyTo(new int[2]));
        assertTrue(e.getMessage().contains("F32") && e.getMessage().contains("I32 or U32"), e.getMessage());
        assertThrows(IpcException.class, () -> t.toDoubleArray());
        assertThrows(IpcException.class, () -> t.copyFrom(new short[2]));
        assertThrows(IpcException.class, () -> alloc(DType.BOOL, 2).toShortArray());
        assertThrows(IpcException.class, () -> alloc(DType.I8, 2).copyFrom(new float[2]));
    }

    @Test
    void tooLargeForAJavaArray() {
        // a segment that is never touched: toByteArray must refuse before accessing memory
        MemorySegment huge = MemorySegment.NULL.reinterpret(3L << 30);
        Tensor t = Tensor.of("huge", DType.U8, new long[] {3L << 30}, huge);
        IpcException e = assertThrows(IpcException.class, t::toByteArray);
        assertEquals(IpcException.Reason.TOO_LARGE, e.reason());
    }

    // ---------------------------------------------------------------- read-only

    @Test
    void readOnlyViewRejectsEveryWrite() {
        Tensor rw = Tensor.ofFloats("w", new long[] {2, 2}, new float[] {1, 2, 3, 4}, arena);
        Tensor ro = Tensor.of("w", DType.F32, new long[] {2, 2}, rw.segment().asReadOnly());
        ReadOnlyChecks.assertRejectsWrites(ro);
        assertEquals(4f, ro.getFloat(1, 1));
        Tensor ro2 = rw.asReadOnly();
        assertTrue(ro2.isReadOnly());
        assertFalse(rw.isReadOnly());
        assertSame(ro2, ro2.asReadOnly());
        ReadOnlyChecks.assertRejectsWrites(ro2);
        // views of a read-only tensor stay read-only
        ReadOnlyChecks.assertRejectsWrites(ro.row(0));
        ReadOnlyChecks.assertRejectsWrites(ro.slice(0, 1));
        ReadOnlyChecks.assertRejectsWrites(ro.reshape(4));
        ReadOnlyChecks.assertRejectsWrites(ro.withName("x"));
        for (DType d : DType.values()) {
            Tensor t = Tensor.allocate("all", d, new long[] {2}, arena).asReadOnly();
            IpcException e = assertThrows(IpcException.class, () -> ReadOnlyChecks.writeOne(t));
            assertEquals(IpcException.Reason.PERMISSION_DENIED, e.reason(), d.name());
        }
    }

    @Test
    void closedArenaThrowsInsteadOfCrashing() {
        Arena a = Arena.ofConfined();
        Tensor t = Tensor.allocate("c", DType.F32, new long[] {4}, a);
        a.close();
        assertThrows(IllegalStateException.class, () -> t.getFloat(0));
        assertThrows(IllegalStateException.class, t::toFloatArray);
    }

    @Test
    void toStringIsShort() {
        assertEquals("Tensor[w, BF16[2, 3]]", alloc(DType.BF16, 2, 3).withName("w").toString());
        assertEquals("Tensor[w, F32[1], read-only]", alloc(DType.F32, 1).withName("w").asReadOnly().toString());
    }

    @Test
    void layoutByteOrderConstantIsLittleEndian() {
        assertEquals(ByteOrder.LITTLE_ENDIAN, Tensor.F32_LE.order());
    }
}

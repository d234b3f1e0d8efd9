package io.ipc4j.tensor;

import io.ipc4j.IpcException;
import io.ipc4j.shm.SharedSegment;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tensors over real {@code /dev/shm} mappings. */
class SharedTensorTest {
    private static String unique(String base) {
        return "ipc4j-test-" + base + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    }

    @Test
    void tensorOverReadOnlyMappingSeesWritesAndRejectsItsOwn() {
        String name = unique("tensor-ro");
        long[] shape = {3, 4};
        try (SharedSegment owner = SharedSegment.create(name, Tensor.byteSize(DType.F32, shape))) {
            Tensor writer = Tensor.of("w", DType.F32, shape, owner.memory());
            assertFalse(writer.isReadOnly());
            float[] values = new float[12];
            for (int k = 0; k < values.length; k++) {
                values[k] = k * 0.5f;
            }
            writer.copyFrom(values);
            try (SharedSegment reader = SharedSegment.openReadOnly(name)) {
                Tensor ro = Tensor.of("w", DType.F32, shape, reader.memory());
                assertArrayEquals(values, ro.toFloatArray());
                ReadOnlyChecks.assertRejectsWrites(ro);
                ReadOnlyChecks.assertRejectsWrites(ro.row(2));
                // the same physical pages: a write through the owner shows up in the reader
                writer.setFloat(2, 3, -1f);
                assertEquals(-1f, ro.getFloat(2, 3));
                IpcException e = assertThrows(IpcException.class, () -> ro.setFloat(2, 3, 0f));
                assertEquals(IpcException.Reason.PERMISSION_DENIED, e.reason());
                assertEquals(-1f, writer.getFloat(11));
            }
        }
        assertFalse(SharedSegment.exists(name));
    }

    @Test
    void writableMappingIsSharedBetweenTwoViews() {
        String name = unique("tensor-rw");
        try (SharedSegment owner = SharedSegment.create(name, 16);
             SharedSegment other = SharedSegment.open(name)) {
            Tensor a = Tensor.of("a", DType.I64, new long[] {2}, owner.memory());
            Tensor b = Tensor.of("b", DType.I64, new long[] {2}, other.memory());
            a.setLong(1, 123456789L);
            assertEquals(123456789L, b.getLong(1));
            assertTrue(!b.isReadOnly());
        }
        assertFalse(SharedSegment.exists(name));
    }
}

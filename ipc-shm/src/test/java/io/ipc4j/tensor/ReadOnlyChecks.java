package io.ipc4j.tensor;

import io.ipc4j.IpcException;

import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shared assertions for read-only tensors of any origin. */
final class ReadOnlyChecks {
    private ReadOnlyChecks() {
    }

    /** Asserts that an F32 tensor of rank 1 or more rejects every kind of write. */
    static void assertRejectsWrites(Tensor t) {
        assertTrue(t.isReadOnly());
        float before = t.getFloat(0);
        IpcException e = assertThrows(IpcException.class, () -> t.setFloat(0, 1f));
        assertEquals(IpcException.Reason.PERMISSION_DENIED, e.reason());
        assertTrue(e.getMessage().contains("read-only") && e.getMessage().contains(t.name()), e.getMessage());
        if (t.rank() == 2) {
            assertThrows(IpcException.class, () -> t.setFloat(0, 0, 1f));
        }
        e = assertThrows(IpcException.class, () -> t.copyFrom(new float[(int) t.elementCount()]));
        assertEquals(IpcException.Reason.PERMISSION_DENIED, e.reason());
        assertThrows(IpcException.class, () -> t.copyFrom(0, new float[1], 0, 1));
        // the memory itself is read-only: a raw write fails in Java as well
        assertThrows(RuntimeException.class, () -> t.segment().set(ValueLayout.JAVA_FLOAT, 0, 1f));
        assertEquals(before, t.getFloat(0));
    }

    /** Writes element 0 with the setter matching the dtype. */
    static void writeOne(Tensor t) {
        switch (t.dtype()) {
            case F64 -> t.setDouble(0, 1);
            case F32, F16, BF16 -> t.setFloat(0, 1);
            case I64, U64 -> t.setLong(0, 1);
            case I32, U32 -> t.setInt(0, 1);
            case I16, U16 -> t.setShort(0, (short) 1);
            case I8, U8 -> t.setByte(0, (byte) 1);
            case BOOL -> t.setBoolean(0, true);
        }
    }
}

package io.ipc4j.tensor;

import io.ipc4j.IpcException;

/**
 * Element types of tensors, named as in safetensors ({@code "F32"}, {@code "BF16"}, ...).
 * All multi-byte types are little-endian in memory, as safetensors requires.
 */
public enum DType {
    /** 64-bit IEEE float. */
    F64(8),
    /** 32-bit IEEE float. */
    F32(4),
    /** 16-bit IEEE half float. */
    F16(2),
    /** bfloat16: the top 16 bits of an F32. */
    BF16(2),
    /** 64-bit signed integer. */
    I64(8),
    /** 32-bit signed integer. */
    I32(4),
    /** 16-bit signed integer. */
    I16(2),
    /** 8-bit signed integer. */
    I8(1),
    /** 64-bit unsigned integer (read as a Java long bit pattern). */
    U64(8),
    /** 32-bit unsigned integer. */
    U32(4),
    /** 16-bit unsigned integer. */
    U16(2),
    /** 8-bit unsigned integer. */
    U8(1),
    /** Boolean stored as one byte, 0 or 1. */
    BOOL(1);

    private final int byteSize;

    DType(int byteSize) {
        this.byteSize = byteSize;
    }

    /** @return bytes per element (also the natural alignment) */
    public int byteSize() {
        return byteSize;
    }

    /** @return true for F64, F32, F16 and BF16 */
    public boolean isFloatingPoint() {
        return this == F64 || this == F32 || this == F16 || this == BF16;
    }

    /**
     * @param name a safetensors dtype name, e.g. {@code "F32"}
     * @return the dtype
     * @throws IpcException UNSUPPORTED naming the unknown dtype and listing the supported ones
     */
    public static DType fromName(String name) {
        for (DType d : values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        throw new IpcException(IpcException.Reason.UNSUPPORTED, "unknown dtype '" + name + "' (supported: "
                + java.util.Arrays.toString(values()) + ")");
    }
}

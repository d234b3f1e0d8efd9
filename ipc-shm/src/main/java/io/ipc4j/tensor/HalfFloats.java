package io.ipc4j.tensor;

/**
 * Conversions between {@code float} and the two 16-bit float formats tensors store:
 * IEEE 754 binary16 ({@link DType#F16}) and bfloat16 ({@link DType#BF16}).
 *
 * <p>Narrowing conversions round to nearest, ties to even. Infinities and signed zeros are kept;
 * NaN stays NaN (never turns into an infinity). Widening conversions are exact.
 *
 * <ul>
 *   <li>F16: 1 sign bit, 5 exponent bits, 10 fraction bits; max 65504, smallest subnormal
 *       2<sup>-24</sup>. Delegates to {@link Float#float16ToFloat} and {@link Float#floatToFloat16}
 *       (intrinsics on current CPUs).</li>
 *   <li>BF16: the upper 16 bits of an F32 (same exponent range, 7 fraction bits).</li>
 * </ul>
 */
public final class HalfFloats {
    private HalfFloats() {
    }

    /**
     * @param bits an F16 bit pattern
     * @return its exact float value
     */
    public static float f16ToFloat(short bits) {
        return Float.float16ToFloat(bits);
    }

    /**
     * @param value a float
     * @return the nearest F16 bit pattern (ties to even; overflow gives infinity)
     */
    public static short floatToF16(float value) {
        return Float.floatToFloat16(value);
    }

    /**
     * @param bits a BF16 bit pattern
     * @return its exact float value
     */
    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /**
     * @param value a float
     * @return the nearest BF16 bit pattern (ties to even; values beyond the largest BF16 round to
     *         infinity); a NaN keeps its sign and upper payload bits and is made quiet
     */
    public static short floatToBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if ((bits & 0x7FFF_FFFF) > 0x7F80_0000) {
            // NaN: truncating could clear every payload bit left and produce an infinity
            return (short) ((bits >>> 16) | 0x0040);
        }
        // add just under half an ulp of BF16, plus one when the kept lowest bit is odd (ties to even);
        // a carry out of the fraction correctly bumps the exponent (up to infinity)
        int rounded = bits + 0x7FFF + ((bits >>> 16) & 1);
        return (short) (rounded >>> 16);
    }
}

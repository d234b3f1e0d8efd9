package io.ipc4j.tensor;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HalfFloatsTest {
    private static int bits(short s) {
        return s & 0xFFFF;
    }

    @Test
    void f16KnownValues() {
        assertEquals(0x3C00, bits(HalfFloats.floatToF16(1.0f)));
        assertEquals(0xC000, bits(HalfFloats.floatToF16(-2.0f)));
        assertEquals(0x7BFF, bits(HalfFloats.floatToF16(65504f)));            // max finite
        assertEquals(0x7C00, bits(HalfFloats.floatToF16(65520f)));            // halfway to 2^16 rounds to inf
        assertEquals(0x7BFF, bits(HalfFloats.floatToF16(65519f)));            // just below: stays max
        assertEquals(0x0001, bits(HalfFloats.floatToF16(0x1p-24f)));          // smallest subnormal
        assertEquals(0x0000, bits(HalfFloats.floatToF16(0x1p-25f)));          // tie to even (0)
        assertEquals(0x0002, bits(HalfFloats.floatToF16(0x1.8p-24f)));        // 1.5 units: tie -> 2 (even)
        assertEquals(0x0002, bits(HalfFloats.floatToF16(0x1.4p-23f)));        // 2.5 units: tie -> 2 (even)
        assertEquals(0x0003, bits(HalfFloats.floatToF16(0x1.8p-23f)));        // 3 units: exact subnormal
        assertEquals(0x8000, bits(HalfFloats.floatToF16(-0.0f)));
        assertEquals(0x7C00, bits(HalfFloats.floatToF16(Float.POSITIVE_INFINITY)));
        assertEquals(0xFC00, bits(HalfFloats.floatToF16(Float.NEGATIVE_INFINITY)));
        assertTrue(Float.isNaN(HalfFloats.f16ToFloat(HalfFloats.floatToF16(Float.NaN))));
        assertEquals(0x1p-24f, HalfFloats.f16ToFloat((short) 0x0001));
        assertEquals(0x1.ff8p-15f, HalfFloats.f16ToFloat((short) 0x03FF));    // largest subnormal
        assertEquals(65504f, HalfFloats.f16ToFloat((short) 0x7BFF));
        // ties to even in the normal range: 1 + 2^-11 is halfway between 1 and 1 + 2^-10
        assertEquals(0x3C00, bits(HalfFloats.floatToF16(1f + 0x1p-11f)));
        assertEquals(0x3C02, bits(HalfFloats.floatToF16(1f + 3 * 0x1p-11f)));
    }

    @Test
    void f16RoundTripsEveryPattern() {
        for (int b = 0; b < 0x10000; b++) {
            float f = HalfFloats.f16ToFloat((short) b);
            if (Float.isNaN(f)) {
                assertTrue(Float.isNaN(HalfFloats.f16ToFloat(HalfFloats.floatToF16(f))));
            } else {
                assertEquals(b, bits(HalfFloats.floatToF16(f)), "pattern 0x" + Integer.toHexString(b));
            }
        }
    }

    @Test
    void bf16KnownValues() {
        assertEquals(0x3F80, bits(HalfFloats.floatToBf16(1.0f)));
        assertEquals(0xC000, bits(HalfFloats.floatToBf16(-2.0f)));
        assertEquals(1.0f, HalfFloats.bf16ToFloat((short) 0x3F80));
        assertEquals(-0.0f, HalfFloats.bf16ToFloat((short) 0x8000));
        assertEquals(0x8000, bits(HalfFloats.floatToBf16(-0.0f)));
        assertEquals(0x7F80, bits(HalfFloats.floatToBf16(Float.POSITIVE_INFINITY)));
        assertEquals(0xFF80, bits(HalfFloats.floatToBf16(Float.NEGATIVE_INFINITY)));
        // ties to even: 1 + 2^-8 is halfway between 1 and 1 + 2^-7 -> 1 (even)
        assertEquals(0x3F80, bits(HalfFloats.floatToBf16(1f + 0x1p-8f)));
        // 1 + 3 * 2^-8 is halfway between 1 + 2^-7 (odd) and 1 + 2^-6 (even) -> up
        assertEquals(0x3F82, bits(HalfFloats.floatToBf16(1f + 3 * 0x1p-8f)));
        // just above halfway rounds up
        assertEquals(0x3F81, bits(HalfFloats.floatToBf16(Math.nextUp(1f + 0x1p-8f))));
        // the largest float rounds to infinity, the largest BF16 stays
        assertEquals(0x7F80, bits(HalfFloats.floatToBf16(Float.MAX_VALUE)));
        assertEquals(0x7F7F, bits(HalfFloats.floatToBf16(HalfFloats.bf16ToFloat((short) 0x7F7F))));
        // subnormals: the smallest float subnormal rounds to zero, BF16 subnormals are exact
        assertEquals(0x0000, bits(HalfFloats.floatToBf16(Float.MIN_VALUE)));
        assertEquals(0x0001, bits(HalfFloats.floatToBf16(0x1p-133f)));
        assertEquals(0x1p-133f, HalfFloats.bf16ToFloat((short) 0x0001));
    }

    @Test
    void bf16NanStaysNanEvenWhenPayloadIsOnlyInLowBits() {
        float lowPayloadNan = Float.intBitsToFloat(0x7F80_0001); // truncation would give +inf
        short b = HalfFloats.floatToBf16(lowPayloadNan);
        assertTrue(Float.isNaN(HalfFloats.bf16ToFloat(b)), Integer.toHexString(bits(b)));
        short neg = HalfFloats.floatToBf16(Float.intBitsToFloat(0xFFC0_0000));
        assertEquals(0xFFC0, bits(neg));
        assertTrue(Float.isNaN(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(Float.NaN))));
    }

    @Test
    void bf16RoundTripsEveryPattern() {
        for (int b = 0; b < 0x10000; b++) {
            float f = HalfFloats.bf16ToFloat((short) b);
            short back = HalfFloats.floatToBf16(f);
            if (Float.isNaN(f)) {
                assertTrue(Float.isNaN(HalfFloats.bf16ToFloat(back)));
            } else {
                assertEquals(b, bits(back), "pattern 0x" + Integer.toHexString(b));
            }
        }
    }

    /** The value of a BF16 pattern, with the infinity after the largest finite taken as 2^128. */
    private static double valueOf(int bf16) {
        if ((bf16 & 0x7FFF) == 0x7F80) {
            return (bf16 & 0x8000) != 0 ? -0x1p128 : 0x1p128;
        }
        return HalfFloats.bf16ToFloat((short) bf16);
    }

    /** Compares against an independent rule: pick the nearer of the two neighbours, ties to even. */
    @Test
    void bf16MatchesNearestEvenReferenceOnRandomFloats() {
        SplittableRandom r = new SplittableRandom(42);
        for (int n = 0; n < 200_000; n++) {
            float f = Float.intBitsToFloat(r.nextInt());
            if (Float.isNaN(f) || Float.isInfinite(f)) {
                continue;
            }
            int down = Float.floatToRawIntBits(f) >>> 16; // truncation toward zero in magnitude
            int up = down + 1;
            double dDown = Math.abs((double) f - valueOf(down));
            double dUp = Math.abs((double) f - valueOf(up));
            int expected = dDown < dUp ? down : dUp < dDown ? up : ((down & 1) == 0 ? down : up);
            assertEquals(expected & 0xFFFF, bits(HalfFloats.floatToBf16(f)), "float " + f);
        }
    }
}

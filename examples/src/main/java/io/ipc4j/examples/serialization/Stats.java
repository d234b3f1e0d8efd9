package io.ipc4j.examples.serialization;

import java.io.Serializable;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * What a job computes from its input floats: their sum and their sum of squares. Both sides of
 * the example run {@link #of(long, MemorySegment)}, so a result can be compared for exact
 * equality with the caller's reference.
 *
 * @param jobId        the job it belongs to
 * @param sum          sum of the values
 * @param sumOfSquares sum of the squared values
 */
public record Stats(long jobId, double sum, double sumOfSquares) implements Serializable {
    /** Bytes of {@link #toBytes()}. */
    public static final int BYTES = 8 + 8 + 8;
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;

    /**
     * Computes the statistics of a run of native-order floats: reads every value once.
     *
     * @param jobId  the job
     * @param floats the values ({@code byteSize} a multiple of 4), on or off the heap
     * @return the statistics
     */
    public static Stats of(long jobId, MemorySegment floats) {
        long n = floats.byteSize() / Float.BYTES;
        // eight independent lanes, so the loop is not one long chain of dependent adds
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        float q0 = 0, q1 = 0, q2 = 0, q3 = 0, q4 = 0, q5 = 0, q6 = 0, q7 = 0;
        long i = 0;
        for (; i + 8 <= n; i += 8) {
            float a = floats.getAtIndex(F32, i);
            float b = floats.getAtIndex(F32, i + 1);
            float c = floats.getAtIndex(F32, i + 2);
            float d = floats.getAtIndex(F32, i + 3);
            float e = floats.getAtIndex(F32, i + 4);
            float f = floats.getAtIndex(F32, i + 5);
            float g = floats.getAtIndex(F32, i + 6);
            float h = floats.getAtIndex(F32, i + 7);
            s0 += a;
            s1 += b;
            s2 += c;
            s3 += d;
            s4 += e;
            s5 += f;
            s6 += g;
            s7 += h;
            q0 += a * a;
            q1 += b * b;
            q2 += c * c;
            q3 += d * d;
            q4 += e * e;
            q5 += f * f;
            q6 += g * g;
            q7 += h * h;
        }
        for (; i < n; i++) {
            float a = floats.getAtIndex(F32, i);
            s0 += a;
            q0 += a * a;
        }
        double sum = ((double) s0 + s1 + s2 + s3) + ((double) s4 + s5 + s6 + s7);
        double squares = ((double) q0 + q1 + q2 + q3) + ((double) q4 + q5 + q6 + q7);
        return new Stats(jobId, sum, squares);
    }

    /**
     * Writes the input of job {@code jobId}: a pattern that differs from job to job, so no side
     * can get away with not reading it.
     *
     * @param jobId  the job
     * @param floats where to write (a multiple of 4 bytes)
     */
    public static void fill(long jobId, MemorySegment floats) {
        long n = floats.byteSize() / Float.BYTES;
        int shift = (int) (jobId % 1009);
        for (long i = 0; i < n; i++) {
            floats.setAtIndex(F32, i, ((i + shift) % 1000) * 0.001f - 0.25f);
        }
    }

    /** @return the statistics as {@link #BYTES} little-endian bytes (a pool job's reply) */
    public byte[] toBytes() {
        return ByteBuffer.allocate(BYTES).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(jobId).putDouble(sum).putDouble(sumOfSquares).array();
    }

    /**
     * @param bytes {@link #toBytes()}'s output
     * @return the statistics
     * @throws IllegalArgumentException when the length is not {@link #BYTES}
     */
    public static Stats fromBytes(byte[] bytes) {
        if (bytes.length != BYTES) {
            throw new IllegalArgumentException("a stats reply has " + BYTES + " bytes, not " + bytes.length);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        return new Stats(b.getLong(), b.getDouble(), b.getDouble());
    }
}

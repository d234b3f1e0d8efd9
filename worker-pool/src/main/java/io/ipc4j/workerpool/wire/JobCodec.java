package io.ipc4j.workerpool.wire;

import io.ipc4j.IpcException;
import io.ipc4j.IpcException.Reason;
import io.ipc4j.tensor.DType;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The records that cross a pool's rings. Only descriptors travel: job id, attempt, slab handles,
 * dtypes and shapes, plus an optional small inline byte payload; tensor bytes stay in the slab.
 * All integers little-endian.
 *
 * <pre>
 * dispatch record, type {@link #JOB}               completion record, types {@link #DONE} .. {@link #START_FAILED}
 *  0  long   job id                                 0  long  job id (0 for READY / START_FAILED)
 *  8  int    attempt (1, 2, ... on re-dispatch)     8  int   attempt it answers
 * 12  short  inputs   14 short outputs             12  int   worker index
 * 16  int    inline payload bytes                  16  int   worker incarnation
 * 20  int    reserved                              20  int   bytes that follow (reply or message)
 * 24  tensor entries, {@value #TENSOR_BYTES} each  24  long  worker pid (READY), else 0
 *     long handle, int dtype, int rank,             32  the bytes (UTF-8 message for FAILED/START_FAILED)
 *     long[{@value #MAX_RANK}] dims
 * ..  inline payload
 * </pre>
 *
 * A {@link #STOP} dispatch record has no payload: the worker finishes and exits. The bytes of a
 * {@link #DONE} record are {@link #doneBytes}: a count of outputs the worker allocated itself, their
 * tensor entries, then the reply. A {@link #READY} record carries the worker's slab owner id in its
 * attempt field.
 */
public final class JobCodec {
    /** Dispatch type: a job. */
    public static final int JOB = 1;
    /** Dispatch type: stop after the jobs before this record. */
    public static final int STOP = 2;
    /** Completion type: the job ran; outputs are written. */
    public static final int DONE = 1;
    /** Completion type: the handler threw; the bytes are the message. */
    public static final int FAILED = 2;
    /** Completion type: the worker is up and waiting for jobs. */
    public static final int READY = 3;
    /** Completion type: the worker could not start (handler init failed, weights missing...). */
    public static final int START_FAILED = 4;

    /** Most dimensions of a job tensor. */
    public static final int MAX_RANK = 8;
    /** Most input plus output tensors of one job. */
    public static final int MAX_TENSORS = 32;
    /** Bytes of one tensor entry in a dispatch record. */
    public static final int TENSOR_BYTES = 16 + 8 * MAX_RANK;
    /** Bytes of a dispatch record's fixed part. */
    public static final int JOB_HEADER_BYTES = 24;
    /** Bytes of a completion record's fixed part. */
    public static final int COMPLETION_HEADER_BYTES = 32;

    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final DType[] DTYPES = DType.values();

    private JobCodec() {
    }

    /**
     * A tensor named in a dispatch record.
     *
     * @param handle slab handle of the slot holding the bytes
     * @param dtype  element type
     * @param shape  dimensions (at most {@value #MAX_RANK})
     */
    public record TensorRef(long handle, DType dtype, long[] shape) {
        /** Checks rank and copies the shape. */
        public TensorRef {
            if (shape.length > MAX_RANK) {
                throw new IpcException(Reason.INVALID_ARGUMENT, "a job tensor has at most " + MAX_RANK
                        + " dimensions, not " + shape.length);
            }
            shape = shape.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        @Override
        public String toString() {
            return dtype + Arrays.toString(shape) + "@" + Long.toHexString(handle);
        }
    }

    /**
     * @param tensors     input + output count
     * @param inlineBytes inline payload bytes
     * @return bytes of the dispatch record
     */
    public static int jobLength(int tensors, int inlineBytes) {
        return JOB_HEADER_BYTES + tensors * TENSOR_BYTES + inlineBytes;
    }

    /**
     * Writes a dispatch record's payload at {@code at} (the caller claimed
     * {@link #jobLength} bytes).
     *
     * @param buf     ring buffer
     * @param at      payload offset
     * @param jobId   job id
     * @param attempt attempt number, from 1
     * @param inputs  input tensors
     * @param outputs output tensors
     * @param inline  inline payload (may be empty)
     */
    public static void writeJob(MemorySegment buf, long at, long jobId, int attempt, TensorRef[] inputs,
                                TensorRef[] outputs, byte[] inline) {
        buf.set(LONG, at, jobId);
        buf.set(INT, at + 8, attempt);
        buf.set(SHORT, at + 12, (short) inputs.length);
        buf.set(SHORT, at + 14, (short) outputs.length);
        buf.set(INT, at + 16, inline.length);
        buf.set(INT, at + 20, 0);
        long p = at + JOB_HEADER_BYTES;
        for (TensorRef t : inputs) {
            p = writeTensor(buf, p, t);
        }
        for (TensorRef t : outputs) {
            p = writeTensor(buf, p, t);
        }
        MemorySegment.copy(inline, 0, buf, ValueLayout.JAVA_BYTE, p, inline.length);
    }

    private static long writeTensor(MemorySegment buf, long p, TensorRef t) {
        buf.set(LONG, p, t.handle());
        buf.set(INT, p + 8, t.dtype().ordinal());
        long[] shape = t.shape;
        buf.set(INT, p + 12, shape.length);
        for (int d = 0; d < MAX_RANK; d++) {
            buf.set(LONG, p + 16 + 8L * d, d < shape.length ? shape[d] : 0);
        }
        return p + TENSOR_BYTES;
    }

    /**
     * A decoded dispatch record (the inline payload stays in the ring: see {@link #inlineOffset}).
     *
     * @param jobId        job id
     * @param attempt      attempt number
     * @param inputs       input tensors
     * @param outputs      output tensors
     * @param inlineOffset offset of the inline payload in the ring buffer
     * @param inlineLength its bytes
     */
    public record DecodedJob(long jobId, int attempt, TensorRef[] inputs, TensorRef[] outputs,
                             long inlineOffset, int inlineLength) {
    }

    /**
     * Decodes a dispatch record, checking every count and length against the record's length.
     *
     * @param buf    ring buffer
     * @param at     payload offset
     * @param length payload bytes
     * @return the job
     * @throws IpcException CORRUPT when the record does not hold what a supervisor writes
     */
    public static DecodedJob readJob(MemorySegment buf, long at, int length) {
        if (length < JOB_HEADER_BYTES) {
            throw corrupt("dispatch record of " + length + " bytes is shorter than its header");
        }
        long jobId = buf.get(LONG, at);
        int attempt = buf.get(INT, at + 8);
        int nIn = buf.get(SHORT, at + 12);
        int nOut = buf.get(SHORT, at + 14);
        int inline = buf.get(INT, at + 16);
        if (nIn < 0 || nOut < 0 || nIn + nOut > MAX_TENSORS || inline < 0
                || jobLength(nIn + nOut, 0) + (long) inline > length) {
            throw corrupt("dispatch record of job " + jobId + " claims " + nIn + " inputs, " + nOut
                    + " outputs and " + inline + " inline bytes in " + length + " bytes");
        }
        long p = at + JOB_HEADER_BYTES;
        TensorRef[] in = new TensorRef[nIn];
        for (int i = 0; i < nIn; i++, p += TENSOR_BYTES) {
            in[i] = readTensor(buf, p, jobId);
        }
        TensorRef[] out = new TensorRef[nOut];
        for (int i = 0; i < nOut; i++, p += TENSOR_BYTES) {
            out[i] = readTensor(buf, p, jobId);
        }
        return new DecodedJob(jobId, attempt, in, out, p, inline);
    }

    private static TensorRef readTensor(MemorySegment buf, long p, long jobId) {
        long handle = buf.get(LONG, p);
        int dt = buf.get(INT, p + 8);
        int rank = buf.get(INT, p + 12);
        if (dt < 0 || dt >= DTYPES.length || rank < 0 || rank > MAX_RANK) {
            throw corrupt("job " + jobId + " names a tensor with dtype code " + dt + " and rank " + rank);
        }
        long[] shape = new long[rank];
        for (int d = 0; d < rank; d++) {
            shape[d] = buf.get(LONG, p + 16 + 8L * d);
            if (shape[d] < 0) {
                throw corrupt("job " + jobId + " names a tensor with dimension " + shape[d]);
            }
        }
        return new TensorRef(handle, DTYPES[dt], shape);
    }

    /**
     * Writes a completion record's payload.
     *
     * @param buf         ring buffer
     * @param at          payload offset (the caller claimed {@code COMPLETION_HEADER_BYTES + bytes.length})
     * @param jobId       job id (0 for READY/START_FAILED)
     * @param attempt     the attempt answered
     * @param worker      worker index
     * @param incarnation worker incarnation
     * @param pid         worker pid (READY) or 0
     * @param bytes       reply or message bytes
     * @param bytesLength how many of {@code bytes}
     */
    public static void writeCompletion(MemorySegment buf, long at, long jobId, int attempt, int worker,
                                       int incarnation, long pid, byte[] bytes, int bytesLength) {
        buf.set(LONG, at, jobId);
        buf.set(INT, at + 8, attempt);
        buf.set(INT, at + 12, worker);
        buf.set(INT, at + 16, incarnation);
        buf.set(INT, at + 20, bytesLength);
        buf.set(LONG, at + 24, pid);
        MemorySegment.copy(bytes, 0, buf, ValueLayout.JAVA_BYTE, at + COMPLETION_HEADER_BYTES, bytesLength);
    }

    /**
     * A decoded completion record.
     *
     * @param type        record type
     * @param jobId       job id
     * @param attempt     attempt answered
     * @param worker      worker index
     * @param incarnation worker incarnation
     * @param pid         worker pid (READY)
     * @param bytes       reply or message bytes (copied out of the ring)
     */
    public record Completion(int type, long jobId, int attempt, int worker, int incarnation, long pid, byte[] bytes) {
        /** @return the bytes as a UTF-8 message */
        public String message() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /**
     * Decodes a completion record, copying its bytes out of the ring.
     *
     * @param type   record type
     * @param buf    ring buffer
     * @param at     payload offset
     * @param length payload bytes
     * @return the completion
     * @throws IpcException CORRUPT when the record does not hold what a worker writes
     */
    public static Completion readCompletion(int type, MemorySegment buf, long at, int length) {
        if (length < COMPLETION_HEADER_BYTES) {
            throw corrupt("completion record of " + length + " bytes is shorter than its header");
        }
        int n = buf.get(INT, at + 20);
        if (n < 0 || n > length - COMPLETION_HEADER_BYTES) {
            throw corrupt("completion record claims " + n + " bytes in " + length);
        }
        byte[] bytes = new byte[n];
        MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, at + COMPLETION_HEADER_BYTES, bytes, 0, n);
        return new Completion(type, buf.get(LONG, at), buf.get(INT, at + 8), buf.get(INT, at + 12),
                buf.get(INT, at + 16), buf.get(LONG, at + 24), bytes);
    }

    /**
     * The bytes of a DONE record: outputs the worker allocated in the slab, then its reply.
     *
     * @param allocated tensors the worker allocated (its slab owner holds them until the supervisor
     *                  takes them over)
     * @param reply     the reply bytes
     * @return {@code int count | count x tensor entry | reply}
     */
    public static byte[] doneBytes(List<TensorRef> allocated, byte[] reply) {
        MemorySegment m = MemorySegment.ofArray(new byte[4 + allocated.size() * TENSOR_BYTES + reply.length]);
        m.set(INT, 0, allocated.size());
        long p = 4;
        for (TensorRef t : allocated) {
            p = writeTensor(m, p, t);
        }
        MemorySegment.copy(reply, 0, m, ValueLayout.JAVA_BYTE, p, reply.length);
        return m.toArray(ValueLayout.JAVA_BYTE);
    }

    /**
     * What a DONE record's bytes hold.
     *
     * @param allocated outputs the worker allocated
     * @param reply     its reply
     */
    public record Done(TensorRef[] allocated, byte[] reply) {
    }

    /**
     * Decodes {@link #doneBytes}.
     *
     * @param jobId the job (for messages)
     * @param bytes a DONE record's bytes
     * @return the outputs and the reply
     * @throws IpcException CORRUPT when the bytes do not hold what a worker writes
     */
    public static Done readDone(long jobId, byte[] bytes) {
        MemorySegment m = MemorySegment.ofArray(bytes);
        int n = bytes.length < 4 ? -1 : m.get(INT, 0);
        if (n < 0 || n > MAX_TENSORS || 4L + (long) n * TENSOR_BYTES > bytes.length) {
            throw corrupt("completion of job " + jobId + " claims " + n + " worker outputs in " + bytes.length + " bytes");
        }
        TensorRef[] t = new TensorRef[n];
        long p = 4;
        for (int i = 0; i < n; i++, p += TENSOR_BYTES) {
            t[i] = readTensor(m, p, jobId);
        }
        return new Done(t, java.util.Arrays.copyOfRange(bytes, (int) p, bytes.length));
    }

    private static IpcException corrupt(String what) {
        return new IpcException(Reason.CORRUPT, what);
    }
}

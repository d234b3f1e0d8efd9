package io.ipc4j.workerpool.journal;

import io.ipc4j.IpcException;
import io.ipc4j.IpcException.Reason;
import io.ipc4j.tensor.DType;
import io.ipc4j.tensor.Tensor;
import io.ipc4j.workerpool.JobJournal;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The bytes of one journal record (one Chronicle document), little-endian:
 *
 * <pre>
 * int   magic 'IJNL'     byte version (1)     byte kind (1 accepted, 2 completed)     long jobId
 * accepted only:
 *   int inputs,  each: byte nameLength, dtype name (ASCII), int rank, long[rank] shape, long byteCount, bytes
 *   int outputs, each: byte nameLength, dtype name (ASCII), int rank, long[rank] shape
 *   int payloadLength, payload
 * int   CRC-32C of all the bytes before it
 * </pre>
 *
 * Decoding checks every count against fixed limits and against the bytes that remain before it
 * allocates anything, so a hostile record costs at most its own size; anything wrong is an
 * {@link IpcException} CORRUPT that names what.
 */
final class JournalRecord {
    static final int MAGIC = 0x4C4E4A49;                 // "IJNL" read little-endian
    static final byte VERSION = 1;
    static final byte ACCEPTED = 1;
    static final byte COMPLETED = 2;
    static final int HEADER_BYTES = 4 + 1 + 1 + 8;
    static final int CRC_BYTES = 4;
    /** Largest record written or read: 64 MiB. */
    static final int MAX_RECORD_BYTES = 64 << 20;
    static final int MAX_TENSORS = 1024;
    static final int MAX_RANK = 32;
    static final int MAX_DTYPE_NAME = 16;

    /** A decoded record: {@code entry} is null for a completion. */
    record Decoded(byte kind, long jobId, JobJournal.Entry entry) {
    }

    private JournalRecord() {
    }

    static byte[] completed(long jobId) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + CRC_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        header(b, COMPLETED, jobId);
        return seal(b.array());
    }

    static byte[] accepted(JobJournal.Entry e) {
        if (e.inputs().size() > MAX_TENSORS || e.outputs().size() > MAX_TENSORS) {
            throw new IpcException(Reason.TOO_LARGE, "job " + e.jobId() + ": a journal entry has at most "
                    + MAX_TENSORS + " input and " + MAX_TENSORS + " output tensors");
        }
        long size = HEADER_BYTES + 4L + 4 + 4 + e.payload().length + CRC_BYTES;
        for (JobJournal.TensorData t : e.inputs()) {
            long expected = Tensor.byteSize(t.dtype(), t.shape());
            if (t.bytes().length != expected || t.shape().length > MAX_RANK) {
                throw new IpcException(Reason.INVALID_ARGUMENT, "job " + e.jobId() + ": input " + t.dtype()
                        + Arrays.toString(t.shape()) + " has " + t.bytes().length + " bytes, not " + expected
                        + " (or more than " + MAX_RANK + " dimensions)");
            }
            size += 1 + t.dtype().name().length() + 4 + 8L * t.shape().length + 8 + t.bytes().length;
        }
        for (JobJournal.TensorSpec o : e.outputs()) {
            if (o.shape().length > MAX_RANK) {
                throw new IpcException(Reason.INVALID_ARGUMENT, "job " + e.jobId() + ": an output has more than "
                        + MAX_RANK + " dimensions");
            }
            size += 1 + o.dtype().name().length() + 4 + 8L * o.shape().length;
        }
        if (size > MAX_RECORD_BYTES) {
            throw new IpcException(Reason.TOO_LARGE, "job " + e.jobId() + " needs a " + size
                    + "-byte journal record; the journal keeps records of at most " + MAX_RECORD_BYTES + " bytes");
        }
        ByteBuffer b = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        header(b, ACCEPTED, e.jobId());
        b.putInt(e.inputs().size());
        for (JobJournal.TensorData t : e.inputs()) {
            spec(b, t.dtype(), t.shape());
            b.putLong(t.bytes().length).put(t.bytes());
        }
        b.putInt(e.outputs().size());
        for (JobJournal.TensorSpec o : e.outputs()) {
            spec(b, o.dtype(), o.shape());
        }
        byte[] payload = e.payload();
        b.putInt(payload.length).put(payload);
        return seal(b.array());
    }

    /** Writes the CRC-32C of everything before the last 4 bytes into them. */
    static byte[] seal(byte[] record) {
        ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN).putInt(record.length - CRC_BYTES, crc(record));
        return record;
    }

    private static int crc(byte[] record) {
        CRC32C c = new CRC32C();
        c.update(record, 0, record.length - CRC_BYTES);
        return (int) c.getValue();
    }

    private static void header(ByteBuffer b, byte kind, long jobId) {
        b.putInt(MAGIC).put(VERSION).put(kind).putLong(jobId);
    }

    private static void spec(ByteBuffer b, DType dtype, long[] shape) {
        byte[] name = dtype.name().getBytes(StandardCharsets.US_ASCII);
        b.put((byte) name.length).put(name).putInt(shape.length);
        for (long d : shape) {
            b.putLong(d);
        }
    }

    /**
     * @param bytes a record
     * @param where names the record in error messages
     * @return what it holds
     * @throws IpcException CORRUPT naming what is wrong
     */
    static Decoded decode(byte[] bytes, String where) {
        ByteBuffer b = ByteBuffer.wrap(bytes, 0, Math.max(0, bytes.length - CRC_BYTES)).order(ByteOrder.LITTLE_ENDIAN);
        try {
            if (bytes.length < HEADER_BYTES + CRC_BYTES) {
                throw corrupt(where, "is " + bytes.length + " bytes long, shorter than a record header");
            }
            int magic = b.getInt();
            if (magic != MAGIC) {
                throw corrupt(where, String.format("starts with 0x%08x, not the journal's magic 0x%08x", magic, MAGIC));
            }
            int stored = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt(bytes.length - CRC_BYTES);
            if (stored != crc(bytes)) {
                throw corrupt(where, "fails its CRC-32C check (damaged bytes)");
            }
            byte version = b.get();
            if (version != VERSION) {
                throw corrupt(where, "has record version " + version + "; this library reads version " + VERSION);
            }
            byte kind = b.get();
            long jobId = b.getLong();
            if (jobId <= 0) {
                throw corrupt(where, "names job id " + jobId + " (ids are positive)");
            }
            if (kind == COMPLETED) {
                end(b, where);
                return new Decoded(kind, jobId, null);
            }
            if (kind != ACCEPTED) {
                throw corrupt(where, "has unknown record kind " + kind);
            }
            int inputs = count(b, where, "input tensors");
            List<JobJournal.TensorData> ins = new ArrayList<>(inputs);
            for (int i = 0; i < inputs; i++) {
                String what = "input " + i + " of job " + jobId;
                DType dtype = dtype(b, where, what);
                long[] shape = shape(b, where, what);
                long expected = byteSize(dtype, shape, where, what);
                long n = b.getLong();
                if (n != expected || n > b.remaining()) {
                    throw corrupt(where, what + " " + dtype + Arrays.toString(shape) + " claims " + n + " bytes; it needs "
                            + expected + " and " + b.remaining() + " remain in the record");
                }
                byte[] data = new byte[(int) n];
                b.get(data);
                ins.add(new JobJournal.TensorData(dtype, shape, data));
            }
            int outputs = count(b, where, "output tensors");
            List<JobJournal.TensorSpec> outs = new ArrayList<>(outputs);
            for (int i = 0; i < outputs; i++) {
                String what = "output " + i + " of job " + jobId;
                DType dtype = dtype(b, where, what);
                long[] shape = shape(b, where, what);
                byteSize(dtype, shape, where, what);
                outs.add(new JobJournal.TensorSpec(dtype, shape));
            }
            int payload = b.getInt();
            if (payload < 0 || payload > b.remaining()) {
                throw corrupt(where, "claims a " + payload + "-byte payload; " + b.remaining() + " bytes remain");
            }
            byte[] p = new byte[payload];
            b.get(p);
            end(b, where);
            return new Decoded(kind, jobId, new JobJournal.Entry(jobId, ins, outs, p));
        } catch (BufferUnderflowException e) {
            throw corrupt(where, "ends in the middle of a field (" + bytes.length + " bytes)");
        }
    }

    private static int count(ByteBuffer b, String where, String what) {
        int n = b.getInt();
        if (n < 0 || n > MAX_TENSORS) {
            throw corrupt(where, "claims " + n + " " + what + " (at most " + MAX_TENSORS + ")");
        }
        return n;
    }

    private static DType dtype(ByteBuffer b, String where, String what) {
        int len = b.get();
        if (len <= 0 || len > MAX_DTYPE_NAME) {
            throw corrupt(where, what + " has a dtype name of " + len + " bytes");
        }
        byte[] name = new byte[len];
        b.get(name);
        String s = new String(name, StandardCharsets.US_ASCII);
        try {
            return DType.fromName(s);
        } catch (IpcException e) {
            throw corrupt(where, what + " has unknown dtype '" + s.replaceAll("[^\\x20-\\x7e]", "?") + "'");
        }
    }

    private static long[] shape(ByteBuffer b, String where, String what) {
        int rank = b.getInt();
        if (rank < 0 || rank > MAX_RANK) {
            throw corrupt(where, what + " claims rank " + rank + " (at most " + MAX_RANK + ")");
        }
        long[] shape = new long[rank];
        for (int d = 0; d < rank; d++) {
            shape[d] = b.getLong();
            if (shape[d] < 0) {
                throw corrupt(where, what + " has negative dimension " + shape[d]);
            }
        }
        return shape;
    }

    private static long byteSize(DType dtype, long[] shape, String where, String what) {
        try {
            return Tensor.byteSize(dtype, shape);
        } catch (IpcException e) {
            throw corrupt(where, what + " has shape " + Arrays.toString(shape) + " whose size overflows");
        }
    }

    private static void end(ByteBuffer b, String where) {
        if (b.hasRemaining()) {
            throw corrupt(where, "has " + b.remaining() + " bytes after its last field");
        }
    }

    static IpcException corrupt(String where, String what) {
        return new IpcException(Reason.CORRUPT, where + " " + what);
    }
}

package io.ipc4j.workerpool.worker;

import io.ipc4j.IpcException;
import io.ipc4j.IpcException.Reason;
import io.ipc4j.shm.ring.MessageHandler;
import io.ipc4j.shm.slab.SharedSlab;
import io.ipc4j.tensor.DType;
import io.ipc4j.tensor.Tensor;
import io.ipc4j.workerpool.Job;
import io.ipc4j.workerpool.JobHandler;
import io.ipc4j.workerpool.stat.PoolCounters;
import io.ipc4j.workerpool.wire.JobCodec;
import io.ipc4j.workerpool.wire.JobCodec.DecodedJob;
import io.ipc4j.workerpool.wire.JobCodec.TensorRef;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/** Runs the dispatch records of one worker: decodes, maps the tensors, calls the handler, reports. */
final class JobRunner implements MessageHandler {
    private static final byte[] NONE = new byte[0];

    private final JobHandler handler;
    private final SharedSlab slab;
    private final int owner;
    private final WorkerMain.Reporter reporter;
    private final PoolCounters counters;
    private final int worker;
    private boolean stopped;

    JobRunner(JobHandler handler, SharedSlab slab, int owner, WorkerMain.Reporter reporter, PoolCounters counters,
              int worker) {
        this.handler = handler;
        this.slab = slab;
        this.owner = owner;
        this.reporter = reporter;
        this.counters = counters;
        this.worker = worker;
    }

    boolean stopped() {
        return stopped;
    }

    @Override
    public void onMessage(int type, MemorySegment buffer, long offset, int length) {
        if (type == JobCodec.STOP) {
            stopped = true;
            return;
        }
        if (type != JobCodec.JOB) {
            throw new IpcException(Reason.CORRUPT, "dispatch ring holds a record of unknown type " + type);
        }
        DecodedJob d = JobCodec.readJob(buffer, offset, length);
        View job;
        try {
            job = new View(d, buffer, slab, owner);
        } catch (RuntimeException e) {
            reporter.report(JobCodec.FAILED, d.jobId(), d.attempt(),
                    WorkerMain.describe("job " + d.jobId() + " names tensors this worker cannot map", e));
            return;
        }
        try {
            handler.handle(job);
        } catch (Throwable t) {
            job.freeAllocated();
            if (t instanceof VirtualMachineError vme && !(t instanceof StackOverflowError)) {
                throw vme;                       // out of memory etc.: let the process die, the job is re-dispatched
            }
            reporter.report(JobCodec.FAILED, d.jobId(), d.attempt(),
                    WorkerMain.describe("job " + d.jobId() + " failed in worker " + worker, t));
            return;
        }
        counters.jobDone(worker);
        // the allocated outputs stay this worker's until the supervisor takes them over (transfer)
        reporter.report(JobCodec.DONE, d.jobId(), d.attempt(),
                JobCodec.doneBytes(job.allocated, job.reply == null ? NONE : job.reply));
    }

    /** A job as the handler sees it: views of slab slots and of the ring's inline bytes. */
    private static final class View implements Job {
        private final DecodedJob d;
        private final Tensor[] inputs;
        private final Tensor[] outputs;
        private final MemorySegment payload;
        private final SharedSlab slab;
        private final int owner;
        final List<TensorRef> allocated = new ArrayList<>();
        byte[] reply;

        View(DecodedJob d, MemorySegment ring, SharedSlab slab, int owner) {
            this.d = d;
            this.slab = slab;
            this.owner = owner;
            this.inputs = map(d.inputs(), slab, true, "input");
            this.outputs = map(d.outputs(), slab, false, "output");
            this.payload = ring.asSlice(d.inlineOffset(), d.inlineLength()).asReadOnly();
        }

        private static Tensor[] map(TensorRef[] refs, SharedSlab slab, boolean readOnly, String what) {
            Tensor[] t = new Tensor[refs.length];
            for (int i = 0; i < refs.length; i++) {
                TensorRef r = refs[i];
                long bytes = Tensor.byteSize(r.dtype(), r.shape());
                MemorySegment slot = slab.slot(r.handle());
                if (bytes > slot.byteSize()) {
                    throw new IpcException(Reason.CORRUPT, what + " " + i + " needs " + bytes + " bytes, a slot has "
                            + slot.byteSize());
                }
                Tensor tensor = Tensor.of(what + i, r.dtype(), r.shape(), slot.asSlice(0, bytes));
                t[i] = readOnly ? tensor.asReadOnly() : tensor;
            }
            return t;
        }

        @Override
        public long id() {
            return d.jobId();
        }

        @Override
        public int attempt() {
            return d.attempt();
        }

        @Override
        public int inputCount() {
            return inputs.length;
        }

        @Override
        public Tensor input(int index) {
            return inputs[index];
        }

        @Override
        public int outputCount() {
            return outputs.length;
        }

        @Override
        public Tensor output(int index) {
            return outputs[index];
        }

        @Override
        public Tensor allocateOutput(DType dtype, long... shape) {
            if (owner <= 0) {
                throw new IpcException(Reason.UNSUPPORTED, "this worker could not register as a slab owner");
            }
            if (d.inputs().length + d.outputs().length + allocated.size() >= JobCodec.MAX_TENSORS) {
                throw new IpcException(Reason.TOO_LARGE, "a job has at most " + JobCodec.MAX_TENSORS + " tensors");
            }
            long bytes = Tensor.byteSize(dtype, shape);
            if (bytes > slab.slotSize() || shape.length > JobCodec.MAX_RANK) {
                throw new IpcException(Reason.TOO_LARGE, "output " + dtype + java.util.Arrays.toString(shape) + " needs "
                        + bytes + " bytes and " + shape.length + " dimensions; a slab slot holds " + slab.slotSize()
                        + " bytes, a job tensor at most " + JobCodec.MAX_RANK + " dimensions");
            }
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(1);
            long h;
            while ((h = slab.allocate(owner)) < 0) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IpcException(Reason.NO_SPACE, "no slab slot became free within 1 s for an output of job "
                            + d.jobId());
                }
                Thread.onSpinWait();
                Thread.yield();
            }
            allocated.add(new TensorRef(h, dtype, shape));
            return Tensor.of("output" + (outputs.length + allocated.size() - 1), dtype, shape,
                    slab.slot(h).asSlice(0, bytes));
        }

        void freeAllocated() {
            for (TensorRef r : allocated) {
                slab.free(r.handle(), owner);
            }
            allocated.clear();
        }

        @Override
        public MemorySegment payload() {
            return payload;
        }

        @Override
        public byte[] payloadBytes() {
            return payload.toArray(ValueLayout.JAVA_BYTE);
        }

        @Override
        public void reply(byte[] bytes) {
            if (bytes.length > maxReplyBytes()) {
                throw new IpcException(Reason.TOO_LARGE, "a job reply has at most " + maxReplyBytes() + " bytes, not "
                        + bytes.length + " (put bigger results in an output tensor)");
            }
            reply = bytes.clone();
        }

        @Override
        public int maxReplyBytes() {
            return WorkerMain.Reporter.MAX_MESSAGE;
        }
    }
}

package io.ipc4j.workerpool.journal;

import io.ipc4j.IpcException;
import io.ipc4j.IpcException.Reason;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Path;

/**
 * The only class that touches Chronicle: one queue with one appender. Its static initializer (and
 * {@link ChronicleJobJournal}'s) switches Chronicle's analytics off: the JVM initializes this class
 * before running any of its code, so before any Chronicle class is initialized through it (loading
 * and verifying Chronicle classes, which may happen earlier, runs none of their code). Not
 * thread-safe: the journal serializes calls.
 */
final class ChronicleLog implements AutoCloseable {
    static {
        // this class's initialization precedes any Chronicle class initialization it causes
        System.setProperty("chronicle.analytics.disable", "true");
    }

    /** Visits one record. */
    interface Visitor {
        /**
         * @param index  the document's Chronicle index
         * @param record its bytes
         */
        void record(long index, byte[] record);
    }

    static final long TIMEOUT_MS = 2_000;

    private final Path dir;
    private final SingleChronicleQueue queue;
    private final ExcerptAppender appender;
    private final boolean sync;

    private ChronicleLog(Path dir, SingleChronicleQueue queue, ExcerptAppender appender, boolean sync) {
        this.dir = dir;
        this.queue = queue;
        this.appender = appender;
        this.sync = sync;
    }

    static ChronicleLog open(Path dir, boolean sync) {
        // one writer (the journal holds the directory lock): a header left locked can only be a process
        // killed mid-append, so wait less than the default 10 s before Chronicle recovers it
        SingleChronicleQueueBuilder b = SingleChronicleQueueBuilder.binary(dir).timeoutMS(TIMEOUT_MS);
        if (sync) {
            b.syncMode(SyncMode.SYNC);                       // else appender.sync() is only an MS_ASYNC msync
        }
        SingleChronicleQueue q = b.build();
        try {
            ExcerptAppender a = q.createAppender();
            a.singleThreadedCheckDisabled(true);              // the journal serializes all calls
            return new ChronicleLog(dir, q, a, sync);
        } catch (RuntimeException | Error e) {
            q.close();
            throw e;
        }
    }

    /** Appends one document; returns once it is in the mapped file (and msync(MS_SYNC)'ed when asked). */
    void append(byte[] record) {
        try (DocumentContext dc = appender.writingDocument()) {
            dc.wire().bytes().write(record);
        }
        if (sync) {
            appender.sync();
        }
    }

    /** Reads every data document from the start, in order. */
    void replay(Visitor visitor) {
        try (ExcerptTailer t = queue.createTailer()) {
            while (true) {
                try (DocumentContext dc = t.readingDocument()) {
                    if (!dc.isPresent()) {
                        return;
                    }
                    if (dc.isMetaData()) {
                        continue;
                    }
                    Bytes<?> b = dc.wire().bytes();
                    long n = b.readRemaining();
                    if (n > JournalRecord.MAX_RECORD_BYTES) {
                        throw new IpcException(Reason.CORRUPT, "journal " + dir + ": document at index 0x"
                                + Long.toHexString(dc.index()) + " is " + n + " bytes; records are at most "
                                + JournalRecord.MAX_RECORD_BYTES);
                    }
                    byte[] record = new byte[(int) n];
                    b.read(record);
                    visitor.record(dc.index(), record);
                }
            }
        }
    }

    @Override
    public void close() {
        try {
            appender.close();
        } finally {
            queue.close();
        }
    }
}

package io.ipc4j.workerpool.journal;

import io.ipc4j.IpcException;
import io.ipc4j.IpcException.Reason;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Path;

/**
 * The only class that touches Chronicle: one queue with one appender. Used only by
 * {@link ChronicleJobJournal}, whose static initializer has switched Chronicle's analytics off
 * before this class (and through it any Chronicle class) is initialized. Not thread-safe: the
 * journal serializes calls.
 */
final class ChronicleLog implements AutoCloseable {
    /** Visits one record. */
    interface Visitor {
        /**
         * @param index  the document's Chronicle index
         * @param record its bytes
         */
        void record(long index, byte[] record);
    }

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
        SingleChronicleQueue q = SingleChronicleQueueBuilder.binary(dir).build();
        try {
            ExcerptAppender a = q.createAppender();
            a.singleThreadedCheckDisabled(true);              // the journal serializes all calls
            return new ChronicleLog(dir, q, a, sync);
        } catch (RuntimeException | Error e) {
            q.close();
            throw e;
        }
    }

    /** Appends one document; returns once it is in the mapped file (and msync'ed when asked). */
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

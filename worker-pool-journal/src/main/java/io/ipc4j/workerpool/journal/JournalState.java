package io.ipc4j.workerpool.journal;

import io.ipc4j.IpcException;
import io.ipc4j.IpcException.Reason;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The journal's own small file beside Chronicle's: held under an exclusive lock while the journal
 * is open, and recording how many records were appended and the highest job id (32 bytes,
 * little-endian: int magic 'IJST', int version 1, long records, long lastJobId, int CRC-32C of
 * the 24 bytes before, int 0). It is rewritten after every append, so it never counts a record
 * that is not in the queue's mapped file; when the queue reads back fewer records than it
 * counts, Chronicle lost some (it silently skips or sets aside damaged queue files).
 */
final class JournalState implements AutoCloseable {
    static final int MAGIC = 0x54534A49;                 // "IJST" read little-endian
    static final int VERSION = 1;
    static final int BYTES = 32;

    private final Path file;
    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private long records;
    private long lastJobId;

    private JournalState(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /**
     * Opens and locks the state file, reading what it holds.
     *
     * @throws IpcException ALREADY_EXISTS when another process or open journal holds it, CORRUPT
     *                      when it is damaged, OS_ERROR
     */
    static JournalState open(Path file) {
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new IpcException(Reason.OS_ERROR, "journal " + file.getParent() + ": cannot open " + file + ": " + e, e);
        }
        JournalState s = new JournalState(file, ch);
        try {
            FileLock l = ch.tryLock();
            if (l == null) {
                throw new IpcException(Reason.ALREADY_EXISTS, "journal " + file.getParent() + " is open in another process");
            }
            s.read();
            return s;
        } catch (OverlappingFileLockException e) {
            s.close();
            throw new IpcException(Reason.ALREADY_EXISTS, "journal " + file.getParent() + " is already open in this JVM");
        } catch (IOException e) {
            s.close();
            throw new IpcException(Reason.OS_ERROR, "journal " + file.getParent() + ": cannot lock or read " + file + ": " + e, e);
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private void read() throws IOException {
        long size = channel.size();
        if (size == 0) {
            return;                                          // a new journal
        }
        buffer.clear();
        while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) > 0) {
            // read the 32 bytes
        }
        if (size != BYTES || buffer.hasRemaining()) {
            throw damaged("is " + size + " bytes, not " + BYTES);
        }
        buffer.flip();
        int magic = buffer.getInt(0);
        int version = buffer.getInt(4);
        if (magic != MAGIC || version != VERSION || buffer.getInt(24) != crc(buffer)) {
            throw damaged(String.format("has magic 0x%08x version %d and a CRC that %s", magic, version,
                    buffer.getInt(24) == crc(buffer) ? "matches" : "does not match"));
        }
        records = buffer.getLong(8);
        lastJobId = buffer.getLong(16);
        if (records < 0 || lastJobId < 0) {
            throw damaged("counts " + records + " records up to job " + lastJobId);
        }
    }

    private IpcException damaged(String what) {
        return new IpcException(Reason.CORRUPT, "journal " + file.getParent() + ": its state file " + file.getFileName()
                + " " + what + " (not written by this library, or damaged)");
    }

    private static int crc(ByteBuffer b) {
        CRC32C c = new CRC32C();
        c.update(b.array(), 0, 24);
        return (int) c.getValue();
    }

    long records() {
        return records;
    }

    long lastJobId() {
        return lastJobId;
    }

    /** Counts one more appended record and rewrites the file (one pwrite into the page cache). */
    void appended(long jobId) {
        records++;
        lastJobId = Math.max(lastJobId, jobId);
        buffer.clear();
        buffer.putInt(0, MAGIC).putInt(4, VERSION).putLong(8, records).putLong(16, lastJobId).putInt(28, 0);
        buffer.putInt(24, crc(buffer));
        try {
            int n = channel.write(buffer, 0);
            if (n != BYTES) {
                throw new IOException("short write of " + n + " bytes");
            }
        } catch (IOException e) {
            throw new IpcException(Reason.OS_ERROR, "journal " + file.getParent() + ": cannot update " + file + ": " + e, e);
        }
    }

    /** Closes the file, which releases the lock. */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing more to release
        }
    }
}

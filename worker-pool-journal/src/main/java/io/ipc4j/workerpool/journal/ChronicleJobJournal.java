package io.ipc4j.workerpool.journal;

import io.ipc4j.IpcException;
import io.ipc4j.IpcException.Reason;
import io.ipc4j.workerpool.JobJournal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link JobJournal} on a Chronicle Queue in a directory of its own: every
 * {@link #accepted accepted} job (its input tensors with their bytes, output specs and payload)
 * and every {@link #completed completion} is one appended record; {@link #unfinished()} replays
 * the queue and returns the jobs accepted and never completed, in acceptance order.
 *
 * <pre>{@code
 * PoolContext ctx = new PoolContext().name("scoring").workers(4).handler(MyHandler.class)
 *         .journal(ChronicleJobJournal.open(Path.of("/var/lib/scoring/journal")));
 * try (WorkerPool pool = WorkerPool.start(ctx)) {
 *     pool.recovered().forEach(f -> f.thenAccept(r -> { ... r.close(); }));   // jobs a crash cut short
 *     ...
 * }
 * }</pre>
 *
 * <h2>What is durable</h2>
 * {@code accepted} and {@code completed} return once the record is complete in the queue's
 * memory-mapped file, that is in the kernel's page cache. That survives the death of this process
 * in any way ({@code kill -9}, a JVM crash, {@code halt}): the next process that opens the
 * directory reads it. It does not by itself survive a crash of the machine or a power loss: the
 * kernel writes dirty pages back within about 30 s ({@code vm.dirty_expire_centisecs}), and what
 * it had not written is lost. {@link #open(Path, boolean) open(dir, true)} also msyncs
 * ({@code MS_SYNC}: Chronicle's {@code SyncMode.SYNC} and {@code ExcerptAppender.sync()}) before
 * every call returns, so a record survives a machine crash too, as far as the disk honours
 * flushes; that costs a disk flush per job and per completion. A process killed in the middle of
 * an append leaves at most that one record incomplete, and it is not read back; the next append
 * waits 2 s for that record's header lock before Chronicle takes it over. So: a job whose
 * {@code accepted} returned runs until it completes, across restarts; a job whose
 * {@code completed} did not return runs again (jobs run at least once, and are never lost once
 * accepted).
 *
 * <h2>JVM flags</h2>
 * Chronicle Queue on JDK 25 needs, on the class path:
 * <pre>
 * --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
 * --add-exports=java.base/sun.nio.ch=ALL-UNNAMED
 * </pre>
 * ({@link #REQUIRED_JVM_FLAGS}; on the module path the target is the module of Chronicle's
 * {@code net.openhft.chronicle.core.OS}, {@code chronicle.core}, instead of {@code ALL-UNNAMED};
 * only the class path is tested). Without them {@link #open} fails with {@link IpcException} UNSUPPORTED
 * naming the missing flags. Recommended too ({@link #RECOMMENDED_JVM_FLAGS}), else the JVM or
 * Chronicle print warnings: {@code --add-exports=java.base/jdk.internal.ref=ALL-UNNAMED}
 * (Chronicle's buffer cleaner), {@code --sun-misc-unsafe-memory-access=allow} and
 * {@code --enable-native-access=ALL-UNNAMED} (Chronicle and jffi use {@code sun.misc.Unsafe}
 * and load native code). Only the supervisor JVM that opens the journal needs them; worker JVMs
 * never load Chronicle. Loading this class sets {@code chronicle.analytics.disable=true} before
 * any Chronicle class is initialized, so Chronicle never tries to send usage analytics.
 *
 * <h2>The directory</h2>
 * {@link #open} creates it. One journal per directory, open in one place at a time: {@code open}
 * takes an exclusive lock on its state file {@value #STATE_FILE} (released by the OS when the
 * holder dies, so a killed supervisor never blocks the next one) and fails with ALREADY_EXISTS
 * while another process or another open journal in this JVM holds it. The state file also counts
 * the records appended and keeps the highest job id.
 *
 * <p>Damage is reported, never silently dropped: Chronicle itself skips a queue file it cannot
 * parse (renaming it {@code *.cq4-<time>.discard}) or stops reading at damaged bytes, so
 * {@code open} compares the records it reads back with the state file's count and fails with
 * IpcException CORRUPT when any is missing; a record with damaged bytes (each carries a CRC-32C),
 * one this class did not write (wrong magic, version or kind) or with impossible counts or sizes
 * fails {@code open} with CORRUPT naming the record's index and what was wrong, and so does a
 * queue Chronicle cannot open. Other files in the directory (not {@code *.cq4}, {@code *.cq4t})
 * and subdirectories are ignored. Records are bounded (64 MiB, 1024 tensors each way, rank 32)
 * and checked before anything is allocated, so a hostile
 * queue cannot exhaust memory. The journal only grows (one file a day); delete the directory
 * when no job in it is unfinished to start afresh.
 *
 * <p>Thread-safe: calls are serialized. Replay reads the whole queue ({@code open} does once to
 * validate it and find {@link #lastJobId()}; {@link #unfinished()} again), and holds the
 * unfinished entries with their input bytes in memory.
 */
public final class ChronicleJobJournal implements JobJournal {
    static {
        // before any Chronicle class is initialized: every Chronicle use goes through this class
        System.setProperty("chronicle.analytics.disable", "true");
    }

    /** The journal's own file in its directory: the lock, the record count and the last job id. */
    public static final String STATE_FILE = "ipc4j-journal.state";

    /** Flags Chronicle Queue cannot work without on JDK 25 (class path form). */
    public static final List<String> REQUIRED_JVM_FLAGS = List.of(
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED");

    /** Flags that silence Chronicle's and the JVM's warnings (class path form). */
    public static final List<String> RECOMMENDED_JVM_FLAGS = List.of(
            "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow",
            "--enable-native-access=ALL-UNNAMED");

    private static final String CHRONICLE_CORE_CLASS = "net.openhft.chronicle.core.OS";

    private final Path dir;
    private final JournalState state;
    private final ChronicleLog log;
    private long lastJobId;
    private boolean closed;

    private ChronicleJobJournal(Path dir, JournalState state, ChronicleLog log) {
        this.dir = dir;
        this.state = state;
        this.log = log;
    }

    /**
     * Opens (creating it if needed) the journal in {@code dir}, page-cache durable.
     *
     * @param dir the journal's own directory
     * @return the journal; hand it to {@code PoolContext.journal}, which closes it with the pool
     * @throws IpcException UNSUPPORTED when a required JVM flag is missing (named), ALREADY_EXISTS
     *                      when the journal is open elsewhere, CORRUPT for unreadable records,
     *                      OS_ERROR when the directory cannot be made or locked
     */
    public static ChronicleJobJournal open(Path dir) {
        return open(dir, false);
    }

    /**
     * Opens (creating it if needed) the journal in {@code dir}.
     *
     * @param dir          the journal's own directory
     * @param msyncEachRecord also msync every record before returning (survives machine crashes; slower)
     * @return the journal
     * @throws IpcException as {@link #open(Path)}
     */
    public static ChronicleJobJournal open(Path dir, boolean msyncEachRecord) {
        checkJvmFlags();
        Path abs = dir.toAbsolutePath();
        try {
            Files.createDirectories(abs);
        } catch (IOException e) {
            throw new IpcException(Reason.OS_ERROR, "journal " + abs + ": cannot create the directory: " + e, e);
        }
        JournalState state = JournalState.open(abs.resolve(STATE_FILE));
        ChronicleLog log = null;
        try {
            try {
                log = ChronicleLog.open(abs, msyncEachRecord);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                throw new IpcException(Reason.CORRUPT, "journal " + abs + ": Chronicle Queue could not open its files: " + e, e);
            }
            ChronicleJobJournal j = new ChronicleJobJournal(abs, state, log);
            j.replay(null);
            return j;
        } catch (RuntimeException | Error e) {
            if (log != null) {
                log.close();
            }
            state.close();
            throw e;
        }
    }

    /**
     * Fails with a message naming the flags instead of Chronicle's stack trace. Looks Chronicle's
     * core class up without initializing it.
     */
    private static void checkJvmFlags() {
        Module target;
        try {
            target = Class.forName(CHRONICLE_CORE_CLASS, false, ChronicleJobJournal.class.getClassLoader()).getModule();
        } catch (ClassNotFoundException e) {
            throw new IpcException(Reason.UNSUPPORTED, "the job journal needs Chronicle Queue (net.openhft:chronicle-queue) "
                    + "on the class or module path; " + CHRONICLE_CORE_CLASS + " is missing");
        }
        String to = target.isNamed() ? target.getName() : "ALL-UNNAMED";
        Module base = Object.class.getModule();
        List<String> missing = new ArrayList<>();
        if (!base.isOpen("java.lang.reflect", target)) {
            missing.add("--add-opens=java.base/java.lang.reflect=" + to);
        }
        if (!base.isExported("sun.nio.ch", target)) {
            missing.add("--add-exports=java.base/sun.nio.ch=" + to);
        }
        if (!missing.isEmpty()) {
            throw new IpcException(Reason.UNSUPPORTED, "the job journal (Chronicle Queue) needs the JVM flag"
                    + (missing.size() > 1 ? "s " : " ") + String.join(" ", missing)
                    + " on this JVM's command line (recommended too: " + String.join(" ", RECOMMENDED_JVM_FLAGS).replace("ALL-UNNAMED", to) + ")");
        }
    }

    /**
     * Reads every record, checks none is missing and sets {@link #lastJobId}; collects the
     * unfinished entries into {@code unfinished} when it is not null.
     */
    private void replay(Map<Long, Entry> unfinished) {
        long[] max = {state.lastJobId()};
        long[] count = {0};
        try {
            log.replay((index, bytes) -> {
                JournalRecord.Decoded d = JournalRecord.decode(bytes,
                        "journal " + dir + ": record at index 0x" + Long.toHexString(index));
                count[0]++;
                max[0] = Math.max(max[0], d.jobId());
                if (unfinished != null) {
                    if (d.entry() != null) {
                        unfinished.put(d.jobId(), d.entry());
                    } else {
                        unfinished.remove(d.jobId());
                    }
                }
            });
        } catch (IpcException e) {
            throw e;
        } catch (RuntimeException | LinkageError | AssertionError e) {
            throw new IpcException(Reason.CORRUPT, "journal " + dir + ": Chronicle Queue could not read its files: " + e, e);
        }
        if (count[0] < state.records()) {
            throw new IpcException(Reason.CORRUPT, "journal " + dir + ": its queue files hold " + count[0] + " records but "
                    + state.records() + " were written (a queue file was damaged, removed or set aside by Chronicle as "
                    + "*.discard; after a machine crash without open(dir, true), the last records may never have "
                    + "reached the disk). To accept the loss, delete " + STATE_FILE + " and open again");
        }
        lastJobId = max[0];
    }

    /** @return the journal's directory (absolute) */
    public Path directory() {
        return dir;
    }

    /**
     * Appends the accepted job; returns once the record is in the mapped queue file.
     *
     * @param entry the job
     * @throws IpcException TOO_LARGE when the record would exceed 64 MiB
     *                      (a record holds the input bytes), CLOSED after {@link #close()}, OS_ERROR when Chronicle fails to write
     */
    @Override
    public synchronized void accepted(Entry entry) {
        append(JournalRecord.accepted(entry), entry.jobId());
    }

    /**
     * Appends the job's completion; returns once the record is in the mapped queue file.
     *
     * @param jobId the job's {@link Entry#jobId()}
     * @throws IpcException CLOSED after {@link #close()}, OS_ERROR when Chronicle fails to write
     */
    @Override
    public synchronized void completed(long jobId) {
        append(JournalRecord.completed(jobId), jobId);
    }

    private void append(byte[] record, long jobId) {
        if (closed) {
            throw new IpcException(Reason.CLOSED, "journal " + dir + " is closed");
        }
        try {
            log.append(record);
        } catch (RuntimeException | LinkageError | AssertionError e) {
            throw new IpcException(Reason.OS_ERROR, "journal " + dir + ": Chronicle Queue could not append: " + e, e);
        }
        state.appended(jobId);
        lastJobId = Math.max(lastJobId, jobId);
    }

    /**
     * Replays the queue.
     *
     * @return the jobs accepted and never completed, in acceptance order
     * @throws IpcException CORRUPT as {@link #open}, CLOSED after {@link #close()}
     */
    @Override
    public synchronized List<Entry> unfinished() {
        if (closed) {
            throw new IpcException(Reason.CLOSED, "journal " + dir + " is closed");
        }
        Map<Long, Entry> open = new LinkedHashMap<>();
        replay(open);
        return List.copyOf(open.values());
    }

    /** @return the highest job id ever recorded, 0 for an empty journal */
    @Override
    public synchronized long lastJobId() {
        return lastJobId;
    }

    /** Closes the queue and releases the directory's lock. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            log.close();
        } finally {
            state.close();
        }
    }

    @Override
    public String toString() {
        return "ChronicleJobJournal[" + dir + "]";
    }
}

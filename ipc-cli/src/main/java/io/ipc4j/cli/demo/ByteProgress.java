package io.ipc4j.cli.demo;

import io.ipc4j.IpcException;
import io.ipc4j.cli.ProgressBar;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * Progress of a long byte-counting step (filling or loading weights) as a bar, finished once every
 * byte is done; and the run-report-write-JSON frame both demo commands share.
 */
final class ByteProgress implements LongConsumer {
    private final String label;
    private final long total;
    private final PrintWriter err;
    private ProgressBar bar;

    ByteProgress(String label, long total, PrintWriter err) {
        this.label = label;
        this.total = total;
        this.err = err;
    }

    @Override
    public synchronized void accept(long done) {
        if (bar == null) {
            bar = new ProgressBar(label, total, err, ProgressBar.isTerminal(), System::nanoTime);
        }
        bar.update(done);
        if (done >= total) {
            bar.finish();
        }
    }

    synchronized void finish() {
        if (bar != null) {
            bar.finish();
        }
    }

    /**
     * Runs a demo with this progress bar, finishing the bar and flushing {@code out} whatever
     * happens, then writes its JSON to {@code json} when one was asked for.
     */
    <R> R run(Supplier<R> demo, PrintStream out, Path json, Function<R, String> toJson) {
        R result;
        try {
            result = demo.get();
        } finally {
            finish();
            out.flush();
        }
        if (json != null) {
            try {
                Files.writeString(json, toJson.apply(result));
            } catch (IOException e) {
                throw new IpcException(IpcException.Reason.OS_ERROR, "write " + json + ": " + e.getMessage(), e);
            }
        }
        return result;
    }
}

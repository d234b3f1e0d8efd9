package io.ipc4j.cli.demo;

import io.ipc4j.cli.ProgressBar;

import java.io.PrintWriter;
import java.util.function.LongConsumer;

/** Progress of a long byte-counting step (filling or loading weights) as a bar, finished once every byte is done. */
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
}

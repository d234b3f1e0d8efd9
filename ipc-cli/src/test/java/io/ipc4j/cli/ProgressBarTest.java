package io.ipc4j.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressBarTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void nonInteractivePrintsAFewCoarseLines() {
        StringWriter sw = new StringWriter();
        AtomicLong clock = new AtomicLong();
        long total = 4L << 20;
        try (ProgressBar bar = new ProgressBar("load w", total, new PrintWriter(sw), false, clock::get)) {
            for (long done = 0; done <= total; done += 64 << 10) {
                clock.set(done * SECOND / total);
                bar.update(done);
            }
        }
        List<String> lines = sw.toString().lines().toList();
        assertEquals(4, lines.size(), sw.toString()); // 25%, 50%, 75%, finish
        assertTrue(lines.get(0).startsWith("load w [") && lines.get(0).contains(" 25%"), lines.get(0));
        assertTrue(lines.get(0).contains("1.0 MiB / 4.0 MiB") && lines.get(0).contains("ETA 0:0"), lines.get(0));
        assertTrue(lines.get(3).contains("100%") && lines.get(3).contains("4.0 MiB / 4.0 MiB"), lines.get(3));
        assertTrue(lines.get(3).contains("4.0 MiB/s"), lines.get(3)); // 4 MiB in 1 s
        assertFalse(sw.toString().contains("\r"));
    }

    @Test
    void interactiveRedrawsInPlaceAtMostEveryInterval() {
        StringWriter sw = new StringWriter();
        AtomicLong clock = new AtomicLong();
        ProgressBar bar = new ProgressBar("copy", 1000, new PrintWriter(sw), true, clock::get);
        bar.update(100); // draws
        bar.update(200); // same instant: throttled
        bar.update(150); // smaller: ignored
        assertEquals(1, sw.toString().chars().filter(c -> c == '\r').count(), sw.toString());
        clock.addAndGet(ProgressBar.REDRAW_INTERVAL_MS * 1_000_000);
        bar.update(300);
        assertEquals(2, sw.toString().chars().filter(c -> c == '\r').count(), sw.toString());
        assertTrue(sw.toString().contains(" 30%"), sw.toString());
        assertFalse(sw.toString().contains("\n"));
        bar.finish();
        bar.finish();
        assertTrue(sw.toString().endsWith("\n") && sw.toString().indexOf('\n') == sw.toString().length() - 1);
        assertEquals(300, bar.done());
    }

    @Test
    void concurrentUpdatesKeepTheLargestValue() throws InterruptedException {
        StringWriter sw = new StringWriter();
        ProgressBar bar = new ProgressBar("x", 1_000_000, new PrintWriter(sw), false, System::nanoTime);
        Thread[] threads = new Thread[2];
        for (int t = 0; t < threads.length; t++) {
            int id = t;
            threads[t] = new Thread(() -> {
                for (long i = id; i <= 1_000_000; i += 2) {
                    bar.update(i);
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        bar.finish();
        assertEquals(1_000_000, bar.done());
        List<String> lines = sw.toString().lines().toList();
        assertEquals(4, lines.size(), sw.toString());
        assertTrue(lines.get(3).contains("100%"), sw.toString());
    }

    @Test
    void unknownTotalShowsBytesAndRateOnly() {
        StringWriter sw = new StringWriter();
        AtomicLong clock = new AtomicLong();
        ProgressBar bar = new ProgressBar("read", 0, new PrintWriter(sw), false, clock::get);
        clock.set(2 * SECOND);
        bar.update(2048);
        bar.finish();
        assertEquals("read 2.0 KiB  1.0 KiB/s" + System.lineSeparator(), sw.toString());
    }
}

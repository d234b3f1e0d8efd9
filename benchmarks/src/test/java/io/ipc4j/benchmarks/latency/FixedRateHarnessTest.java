package io.ipc4j.benchmarks.latency;

import io.ipc4j.IpcException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The harness in fixed-rate mode and its size limit, against a real child JVM. */
class FixedRateHarnessTest {
    private Set<String> before;

    @BeforeEach
    void snapshot() throws IOException {
        before = BlockingTransportsTest.leftovers();
    }

    @AfterEach
    void leavesDevShmAsFound() throws IOException {
        assertEquals(before, BlockingTransportsTest.leftovers(), "/dev/shm or the temp dir changed");
    }

    @Test
    void fixedRateRunKeepsBothHistograms() {
        LatencyOptions o = LatencyOptions.of("futex").withMessages(300).withWarmup(50).withRate(5000);
        LatencyResult r = new LatencyHarness(o).run();
        assertTrue(r.fixedRate());
        assertEquals(5000, r.rate());
        assertEquals(300, r.histogram().getTotalCount());
        assertEquals(300, r.uncorrected().getTotalCount());
        // every corrected latency is >= its uncorrected one, so the maxima are ordered too
        assertTrue(r.histogram().getMaxValue() >= r.uncorrected().getMaxValue(), r.toString());
        assertTrue(r.toJson().contains("\"rate\":5000.0") && r.toJson().contains("\"raw_p99_ns\":"), r.toJson());
        String table = LatencyResult.table(java.util.List.of(r));
        assertTrue(table.contains("futex (uncorrected)"), table);
    }

    @Test
    void payloadAboveTheTransportMaximumFailsInOneLineNamingIt() {
        LatencyOptions o = LatencyOptions.of("spin").withMessages(1).withPayloadSize(SpinLayout.MAX_PAYLOAD + 1);
        IpcException e = assertThrows(IpcException.class, () -> new LatencyHarness(o).run());
        assertEquals(IpcException.Reason.INVALID_ARGUMENT, e.reason());
        assertTrue(e.getMessage().contains("at most " + SpinLayout.MAX_PAYLOAD) && !e.getMessage().contains("\n"),
                e.getMessage());
    }
}

package io.ipc4j.cli.example;

import io.ipc4j.cli.demo.ShareWeightsCommand;
import io.ipc4j.examples.histograms.LatencyHistograms;
import io.ipc4j.examples.quickstart.QuickStart;
import io.ipc4j.examples.serialization.ReplaceSerializationQueue;

import java.util.List;
import java.util.Optional;

/** The examples {@code ipc4j example} knows, in the order it lists them. Add a program here with one entry. */
public final class Examples {
    /** Every example: name, one-line description, runner. */
    public static final List<Example> ALL = List.of(
            Example.ofCommand("share-weights",
                    "One weight matrix in /dev/shm mapped read-only by many worker JVMs; memory measured, sums verified.",
                    ShareWeightsCommand::new),
            Example.ofMain("quickstart",
                    "The README example: one JVM writes a 16 MiB tensor store, a second maps it read-only and reads a weight.",
                    QuickStart.class, "Arguments: none (with a store NAME: run only the reader side against that store)."),
            Example.ofMain("replace-serialization-queue",
                    "The same 4 MiB job pipeline as serialized objects over a Unix socket and as an ipc4j worker pool, both timed.",
                    ReplaceSerializationQueue.class,
                    "Arguments: [JOBS [SIZE_BYTES]] (default: 200 jobs of 4194304 bytes per side, half as many warm up).",
                    "Exit code 1 when a result was wrong."),
            Example.ofMain("latency-histograms",
                    "Round-trip latency between two JVMs recorded with HdrHistogram: .hgrm files and a percentile plot (PNG).",
                    LatencyHistograms.class,
                    "Arguments: [OUT_DIR [MESSAGES [TRANSPORT,...]]] (default: ./latency-histograms, 20000 round trips,",
                    "spin,futex,uds). Writes one .hgrm file per transport and latency.png into OUT_DIR."));

    private Examples() {
    }

    /**
     * @param name an example's name
     * @return the example of that name
     */
    public static Optional<Example> find(String name) {
        return ALL.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    /** @return the names, in list order */
    public static List<String> names() {
        return ALL.stream().map(Example::name).toList();
    }
}

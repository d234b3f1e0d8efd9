package io.ipc4j.examples.quickstart;

import io.ipc4j.process.JvmCommand;
import io.ipc4j.tensor.DType;
import io.ipc4j.tensor.Tensor;
import io.ipc4j.tensor.store.TensorStore;

/**
 * The README's example as a program. Without arguments it writes a 16 MiB F32 store
 * {@code quickstart-PID} into {@code /dev/shm}, starts a second JVM that maps it read-only and
 * prints one weight, then removes the store. With a store name it is that second JVM.
 */
public final class QuickStart {
    private QuickStart() {
    }

    /**
     * @param args nothing (writer), or the store name (reader)
     * @throws Exception when the reader cannot be started
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 1) {
            read(args[0]);
            return;
        }
        String name = "quickstart-" + ProcessHandle.current().pid();
        float[] weights = new float[4096 * 1024];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (i % 1000) / 1000f;
        }
        int exit;
        // Process A: put the weights into /dev/shm once (the bytes are a valid safetensors file).
        try (TensorStore store = TensorStore.builder(name).add("w", DType.F32, 4096, 1024).create()) {
            store.tensor("w").copyFrom(weights);      // fill in place
            store.publish();                          // atomic rename: nobody sees half a store
            System.out.println("writer: published " + name + " " + store.tensor("w"));
            Process reader = new ProcessBuilder(JvmCommand.forMain(QuickStart.class).args(name).build())
                    .inheritIO().start();
            exit = reader.waitFor();
        }                                             // the owner unlinks the store here
        System.exit(exit);
    }

    /**
     * Process B (any number of them): maps the store read-only, no copy.
     *
     * @param name the store's name
     */
    static void read(String name) {
        try (TensorStore store = TensorStore.openReadOnly(name)) {
            Tensor w = store.tensor("w");
            System.out.println("reader: w[17][3] = " + w.getFloat(17, 3) + " (read-only: " + w.isReadOnly() + ")");
        }
    }
}

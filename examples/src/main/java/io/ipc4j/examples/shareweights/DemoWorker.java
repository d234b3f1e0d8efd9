package io.ipc4j.examples.shareweights;

import io.ipc4j.posix.PosixProcess;
import io.ipc4j.tensor.Tensor;
import io.ipc4j.tensor.store.TensorStore;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A worker JVM of the share-weights demo. Arguments: parent pid, store name, first row, end row,
 * and {@code all} to read every weight instead of its own rows.
 *
 * <p>Protocol on stdout: {@code READY <micros since start>}, then {@code RESULT <sum>} (the sum's
 * bits in hex), then it waits for {@code EXIT} (or end of input) on stdin so the supervisor can
 * measure its memory while the mapping is live.
 */
public final class DemoWorker {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private DemoWorker() {
    }

    /**
     * @param args parent pid, store name, first row, end row, [all]
     * @throws Exception when stdin fails
     */
    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        long parent = Long.parseLong(args[0]);
        // Die with the supervisor: ask for SIGKILL on its death, then check it did not die already.
        PosixProcess.setParentDeathSignal(PosixProcess.SIGKILL);
        if (PosixProcess.getppid() != parent) {
            System.exit(3);
        }
        String storeName = args[1];
        long from = Long.parseLong(args[2]);
        long to = Long.parseLong(args[3]);
        boolean all = args.length > 4 && args[4].equals("all");
        try (TensorStore store = TensorStore.openReadOnly(storeName)) {
            Tensor w = store.tensor("w");
            System.out.println("READY " + (System.nanoTime() - start) / 1000);
            System.out.flush();
            long cols = w.dim(1);
            double sum = all ? sumRows(w.segment(), 0, w.dim(0), cols) : sumRows(w.segment(), from, to, cols);
            System.out.println("RESULT " + Long.toHexString(Double.doubleToRawLongBits(sum)));
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
            String line;
            while ((line = in.readLine()) != null && !line.equals("EXIT")) {
                // keep the mapping alive until told to go
            }
        }
    }

    private static double sumRows(MemorySegment m, long from, long to, long cols) {
        long i = from * cols * 4;
        long end = to * cols * 4;
        double a = 0, b = 0, c = 0, d = 0;
        for (; i + 16 <= end; i += 16) {
            a += m.get(F32, i);
            b += m.get(F32, i + 4);
            c += m.get(F32, i + 8);
            d += m.get(F32, i + 12);
        }
        for (; i < end; i += 4) {
            a += m.get(F32, i);
        }
        return a + b + c + d;
    }
}

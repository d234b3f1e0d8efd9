package io.ipc4j.tensor.store;

import io.ipc4j.tensor.DType;

/**
 * Child JVM for {@link PublishByRenameTest}: creates an unpublished store named {@code args[0]},
 * prints its temporary file name, then waits to be killed before publishing.
 */
public final class UnpublishedWriterChild {
    private UnpublishedWriterChild() {
    }

    /**
     * @param args the store name
     * @throws Exception never in practice
     */
    public static void main(String[] args) throws Exception {
        TensorStore store = TensorStore.builder(args[0]).add("x", DType.F32, 1024).create();
        store.tensor("x").segment().fill((byte) 1);
        System.out.println(store.fileName());
        System.out.flush();
        Thread.sleep(120_000); // killed long before this ends
        store.publish();
    }
}

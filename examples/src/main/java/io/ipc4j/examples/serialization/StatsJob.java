package io.ipc4j.examples.serialization;

import java.io.Serializable;

/**
 * A job of the serialization queue: the whole input travels inside the object, so every job is
 * serialized by the caller, copied through the socket and deserialized by the worker.
 *
 * @param id     the job's id
 * @param values its input
 */
public record StatsJob(long id, float[] values) implements Serializable {
}

/**
 * Typed tensors over memory segments: {@link io.ipc4j.tensor.DType} and {@link io.ipc4j.tensor.Tensor}
 * (shape, C-order strides, element access, bulk copies, slicing without copying).
 */
package io.ipc4j.tensor;

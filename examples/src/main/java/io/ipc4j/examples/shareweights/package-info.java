/**
 * Share one weight tensor across many worker JVMs: the weights live once in {@code /dev/shm} as a
 * safetensors store; every worker maps it read-only and reads its rows without copying. The
 * demo measures start-up, memory (sum of PSS, growth of {@code Shmem}) and checks every result.
 */
package io.ipc4j.examples.shareweights;

/**
 * Internal: the shared-memory layout of a pool's control segment and the records that cross its
 * rings, used by the supervisor and by the workers. Not exported.
 */
package io.ipc4j.workerpool.wire;

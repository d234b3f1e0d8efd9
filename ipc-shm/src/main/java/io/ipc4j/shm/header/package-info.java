/**
 * The descriptor header that starts every ipc4j segment except tensor stores:
 * {@link io.ipc4j.shm.header.DescriptorHeader} (the byte layout, offsets as constants),
 * {@link io.ipc4j.shm.header.HeaderFields} (a read header), {@link io.ipc4j.shm.header.SegmentKind}
 * (what a segment holds), {@link io.ipc4j.shm.header.DescribedSegment} (create, mark ready, open
 * with checks) and {@link io.ipc4j.shm.header.DescriptorHeaderProbe} (recognises such segments
 * when listing a shared-memory directory).
 *
 * <p>The header carries the creator's pid and start time so a crashed creator is detected
 * (pid reuse included), and a ready word written last with release semantics so a reader never
 * uses a half-initialised payload.
 */
package io.ipc4j.shm.header;

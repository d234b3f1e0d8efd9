package io.ipc4j.pipes.framing;

/** What one non-blocking {@link FrameReader#readAvailable()} achieved. */
public enum ReadStatus {
    /** At least one complete frame is buffered: drain them with {@link FrameReader#nextFrame()}. */
    FRAME_READY,
    /** No complete frame yet: wait for the channel to become readable again. */
    NEED_MORE,
    /** The peer closed the stream cleanly between frames (no frame is buffered). */
    END_OF_STREAM
}

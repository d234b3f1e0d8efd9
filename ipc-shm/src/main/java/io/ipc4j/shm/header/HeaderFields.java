package io.ipc4j.shm.header;

import io.ipc4j.IpcException;
import io.ipc4j.process.ProcessIdentity;

import java.time.Instant;
import java.util.Optional;

/**
 * The fields of a descriptor header as read by {@link DescriptorHeader#read}, unvalidated: a
 * hostile or damaged file may hold anything, so use the checks here before trusting them.
 *
 * @param magic             first 8 bytes as a native-order long ({@link DescriptorHeader#MAGIC} when valid)
 * @param layoutVersion     header layout version ({@link DescriptorHeader#LAYOUT_VERSION} when readable)
 * @param kindCode          the {@link SegmentKind} code
 * @param flags             flag bits ({@link DescriptorHeader#FLAG_PERSISTENT})
 * @param headerLength      bytes before the payload
 * @param creatorPid        the creator's pid
 * @param creatorStartTicks the creator's start time, clock ticks after boot
 * @param creationMillis    creation time, epoch millis
 * @param payloadLength     payload bytes
 * @param readyWord         {@link DescriptorHeader#READY} once the creator has finished
 * @param payloadVersion    the kind-defined payload layout version
 */
public record HeaderFields(long magic, int layoutVersion, int kindCode, int flags, int headerLength,
                           long creatorPid, long creatorStartTicks, long creationMillis, long payloadLength,
                           int readyWord, int payloadVersion) {

    /** @return true when the magic is ipc4j's */
    public boolean hasValidMagic() {
        return magic == DescriptorHeader.MAGIC;
    }

    /** @return true when the layout version is the one this library reads */
    public boolean hasSupportedVersion() {
        return layoutVersion == DescriptorHeader.LAYOUT_VERSION;
    }

    /** @return the kind, or empty for a code this library does not know */
    public Optional<SegmentKind> kind() {
        return SegmentKind.fromCode(kindCode);
    }

    /** @return the kind's label for listings, e.g. {@code "ring"} or {@code "kind#42"} */
    public String kindLabel() {
        return SegmentKind.labelOf(kindCode);
    }

    /** @return true when the persistent flag is set */
    public boolean isPersistent() {
        return (flags & DescriptorHeader.FLAG_PERSISTENT) != 0;
    }

    /** @return true when the ready word says the creator has finished */
    public boolean isReady() {
        return readyWord == DescriptorHeader.READY;
    }

    /** @return the creation time */
    public Instant creationTime() {
        return Instant.ofEpochMilli(creationMillis);
    }

    /** @return the creating process as recorded (pid and start time) */
    public ProcessIdentity creator() {
        return new ProcessIdentity(creatorPid, creatorStartTicks);
    }

    /**
     * @return whether the recorded creator still runs (same pid and start time); empty when the
     * recorded pid cannot be a process (&lt;= 0: a damaged header) or {@code /proc} could not tell
     */
    public Optional<Boolean> creatorAlive() {
        if (creatorPid <= 0 || creatorStartTicks < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(creator().isAlive());
        } catch (IpcException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Checks the sizes against a file of {@code fileSize} bytes (for the current layout version).
     *
     * @param fileSize the segment's size
     * @return empty when consistent, otherwise what is wrong
     */
    public Optional<String> sizeProblem(long fileSize) {
        if (headerLength != DescriptorHeader.LENGTH) {
            return Optional.of("header length " + headerLength + " (expected " + DescriptorHeader.LENGTH + ")");
        }
        if (payloadLength < 0 || payloadLength > fileSize - headerLength) {
            return Optional.of("payload length " + payloadLength + " does not fit in " + fileSize
                    + " bytes after the " + headerLength + "-byte header");
        }
        return Optional.empty();
    }
}

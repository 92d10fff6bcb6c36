public import AccordLedger

/// Incremental frame decoder for a byte stream: ``append(_:)`` whatever arrived, then call
/// ``nextFrame()`` until it returns `nil` (more bytes needed). A stream cut anywhere decodes to
/// the same frames.
///
/// A length prefix over ``maxFrameSize`` is refused as soon as its four bytes are in, before any
/// of the payload is waited for. After an error the decoder stays failed: it drops further input
/// and throws the same error again.
public struct FrameDecoder: Sendable {
    /// The largest length field (type byte and payload) accepted.
    public let maxFrameSize: Int
    /// Limits for batch payloads.
    public let batchLimits: BatchCodec.Limits

    private var buffer: [UInt8] = []
    private var readIndex = 0
    /// Bytes of the stream consumed before `buffer[0]`, for error offsets.
    private var consumedBefore = 0
    private var failure: SyncError?

    /// Creates a decoder.
    /// - Parameters:
    ///   - maxFrameSize: the largest length field accepted (default 16 MiB).
    ///   - batchLimits: limits for batch payloads; their `maxBatchBytes` is capped to the frame size.
    public init(maxFrameSize: Int = FrameCodec.defaultMaxFrameSize, batchLimits: BatchCodec.Limits = .init()) {
        precondition(maxFrameSize >= 1 && maxFrameSize <= Int(UInt32.max), "maxFrameSize must fit the u32 length prefix")
        self.maxFrameSize = maxFrameSize
        var limits = batchLimits
        limits.maxBatchBytes = min(limits.maxBatchBytes, maxFrameSize - 1)
        self.batchLimits = limits
    }

    /// Bytes received but not yet returned as frames.
    public var bufferedByteCount: Int { buffer.count - readIndex }

    /// Whether the decoder has failed (every further ``nextFrame()`` throws).
    public var hasFailed: Bool { failure != nil }

    /// Adds bytes read from the stream. Ignored once the decoder has failed.
    public mutating func append(_ bytes: some Collection<UInt8>) {
        guard failure == nil else { return }
        if readIndex > 0 && readIndex >= buffer.count / 2 {
            buffer.removeFirst(readIndex)
            consumedBefore += readIndex
            readIndex = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete frame, or `nil` when more bytes are needed.
    /// - Throws: ``SyncError`` `.frameTooLarge` (from the length prefix alone), `.malformedFrame`,
    ///   `.unknownFrameType` or `.versionMismatch`; the same error on every later call.
    public mutating func nextFrame() throws -> Frame? {
        if let failure { throw failure }
        guard bufferedByteCount >= 4 else { return nil }
        let frameOffset = consumedBefore + readIndex
        var length = 0
        for index in readIndex..<readIndex + 4 { length = length << 8 | Int(buffer[index]) }
        guard length <= maxFrameSize else {
            return try fail(SyncError(.frameTooLarge, "frame at stream offset \(frameOffset) announces \(length) bytes, the maximum is \(maxFrameSize)", offset: frameOffset))
        }
        guard length >= 1 else {
            return try fail(SyncError(.malformedFrame, "frame at stream offset \(frameOffset) has length 0 (no type byte)", offset: frameOffset))
        }
        guard bufferedByteCount >= 4 + length else { return nil }
        let type = buffer[readIndex + 4]
        let payload = Array(buffer[readIndex + 5..<readIndex + 4 + length])
        do {
            let frame = try FrameCodec.decodePayload(type: type, payload, batchLimits: batchLimits)
            readIndex += 4 + length
            if readIndex == buffer.count {
                consumedBefore += readIndex
                buffer.removeAll(keepingCapacity: buffer.count <= 1 << 16)
                readIndex = 0
            }
            return frame
        } catch let error as SyncError {
            return try fail(SyncError(error.code, "frame at stream offset \(frameOffset): \(error.message)", frameType: type, offset: error.offset, cause: error.cause))
        }
    }

    private mutating func fail(_ error: SyncError) throws -> Frame? {
        failure = error
        buffer = []
        readIndex = 0
        throw error
    }
}

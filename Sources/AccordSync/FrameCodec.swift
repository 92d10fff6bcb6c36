public import AccordLedger
import AccordModel

/// The wire form of frames: `length u32 BE (of type + payload) | type u8 | payload`, each payload
/// in Accord's canonical binary encoding (``AccordModel/BinaryWriter``). Decoding refuses
/// truncated input, trailing bytes, unsorted vectors and invalid identifiers, and names the frame
/// type and payload offset in its errors, never payload bytes.
///
/// Payloads:
/// - `hello`: `version u16 BE | unit string | policy version u64 | vector`
/// - `batch`: the ``AccordLedger/BatchCodec`` bytes of the batch
/// - `ack`: `author string | class string | sequence u64`
/// - `reject`: `author string | class string | sequence u64 | reason string`
/// - `summary`: `vector`
/// - `error`: `code string | message string`
/// - `ping`, `pong`: `nonce u64`
///
/// where `vector` is `count varint | (author string | class string | sequence u64 | hash 32)*`,
/// strictly sorted by stream.
public enum FrameCodec {
    /// The protocol version this build speaks.
    public static let protocolVersion: UInt16 = 1
    /// The default hard maximum of a frame's length field (type byte and payload): 16 MiB.
    public static let defaultMaxFrameSize = 16 << 20
    /// Bytes before the payload: the length prefix and the type byte.
    public static let headerSize = 5

    /// The smallest encoding of one vector entry: two one-byte strings, a sequence and a hash.
    private static let minHeadBytes = 1 + 2 + 1 + 8 + 32

    /// Encodes a whole frame, length prefix included. The caller keeps frames under the peer's
    /// maximum size (a batch is bounded by ``AccordLedger/BatchCodec/Limits``).
    public static func encode(_ frame: Frame) -> [UInt8] {
        let payload = encodePayload(frame)
        var writer = BinaryWriter(capacity: headerSize + payload.count)
        writer.writeUInt32(UInt32(payload.count + 1))
        writer.writeUInt8(frame.type.rawValue)
        writer.writeRaw(payload)
        return writer.bytes
    }

    /// Encodes a frame's payload alone (no length prefix, no type byte).
    public static func encodePayload(_ frame: Frame) -> [UInt8] {
        if case .batch(let batch) = frame { return BatchCodec.encode(batch) }
        var writer = BinaryWriter(capacity: 64)
        switch frame {
        case .hello(let hello):
            writer.writeUInt8(UInt8(hello.protocolVersion >> 8))
            writer.writeUInt8(UInt8(truncatingIfNeeded: hello.protocolVersion))
            writer.writeString(hello.unit)
            writer.writeUInt64(hello.policyVersion)
            writeVector(hello.vector, to: &writer)
        case .batch:
            break
        case .ack(let stream, let sequence):
            writeStream(stream, to: &writer)
            writer.writeUInt64(sequence)
        case .reject(let stream, let sequence, let reason):
            writeStream(stream, to: &writer)
            writer.writeUInt64(sequence)
            writer.writeString(reason)
        case .summary(let vector):
            writeVector(vector, to: &writer)
        case .error(let code, let message):
            writer.writeString(code)
            writer.writeString(message)
        case .ping(let nonce), .pong(let nonce):
            writer.writeUInt64(nonce)
        case .policy(let document):
            writer.writeBytes(document)
        }
        return writer.bytes
    }

    /// The largest policy document a `policy` frame carries (the policy file's own limit).
    public static let maxPolicyBytes = 16 << 20

    /// The size of a batch's ``AccordLedger/BatchCodec`` encoding, computed without encoding it.
    public static func encodedSize(of batch: Batch) -> Int {
        let header = 1 + stringSize(batch.header.stream.author.rawValue) + stringSize(batch.header.stream.shareClass)
            + 8 + batch.header.previousHash.count + 8 + 4 + 8
        var size = 1 + varintSize(UInt64(header)) + header + batch.signature.count + varintSize(UInt64(batch.leaves.count))
        for leaf in batch.leaves {
            if let body = leaf.saltedBody {
                size += 1 + varintSize(UInt64(body.count)) + body.count
            } else {
                size += 1 + leaf.hash.count
            }
        }
        return size
    }

    /// The size of the whole `batch` frame that carries `batch` (length prefix and type included).
    public static func frameSize(of batch: Batch) -> Int { headerSize + encodedSize(of: batch) }

    /// Decodes one complete frame, length prefix included, refusing anything before or after it.
    /// - Parameters:
    ///   - bytes: exactly one frame.
    ///   - maxFrameSize: the largest length field accepted.
    /// - Throws: ``SyncError`` `.frameTooLarge`, `.malformedFrame` or `.unknownFrameType`.
    public static func decode(_ bytes: [UInt8], maxFrameSize: Int = defaultMaxFrameSize) throws -> Frame {
        var decoder = FrameDecoder(maxFrameSize: maxFrameSize)
        decoder.append(bytes)
        guard let frame = try decoder.nextFrame() else {
            throw SyncError(.malformedFrame, "input of \(bytes.count) bytes ends inside a frame", offset: bytes.count)
        }
        guard decoder.bufferedByteCount == 0 else {
            throw SyncError(.malformedFrame, "\(decoder.bufferedByteCount) bytes follow the frame", frameType: frame.type.rawValue, offset: bytes.count - decoder.bufferedByteCount)
        }
        return frame
    }

    /// Decodes a payload of the given type.
    /// - Parameters:
    ///   - type: the frame's type byte.
    ///   - payload: the bytes after the type byte.
    ///   - batchLimits: limits for a batch payload.
    /// - Throws: ``SyncError`` `.unknownFrameType`, or `.malformedFrame` naming the payload offset.
    public static func decodePayload(type: UInt8, _ payload: [UInt8], batchLimits: BatchCodec.Limits = .init()) throws -> Frame {
        let frameType = FrameType(rawValue: type)
        guard frameType.isKnown else {
            throw SyncError(.unknownFrameType, "frame \(frameType) is not a known message", frameType: type)
        }
        if frameType == .policy {
            // The document is checked by the node (signature, version); here only its framing.
            var reader = BinaryReader(payload, limits: .init(maxFieldBytes: maxPolicyBytes, maxCount: 0))
            do {
                let document = try reader.readBytes("policy document")
                try reader.expectEnd("policy payload")
                return .policy(document: document)
            } catch let error as ModelError {
                throw SyncError(.malformedFrame, "policy frame at payload offset \(error.offset ?? reader.offset): \(error.message)", frameType: type, offset: error.offset, cause: error)
            }
        }
        if frameType == .batch {
            do {
                return .batch(try BatchCodec.decode(payload, limits: batchLimits))
            } catch let error as LedgerError {
                throw SyncError(.malformedFrame, "batch frame: \(error.message)", frameType: type, offset: (error.cause as? ModelError)?.offset, cause: error)
            }
        }
        var reader = BinaryReader(payload, limits: .init(maxFieldBytes: 1 << 16, maxCount: 1 << 20))
        do {
            let frame: Frame
            switch frameType {
            case .hello:
                let high = try reader.readUInt8("protocol version")
                let low = try reader.readUInt8("protocol version")
                let version = UInt16(high) << 8 | UInt16(low)
                do {
                    frame = .hello(try readHello(version: version, from: &reader))
                } catch let error as ModelError where version != protocolVersion {
                    // Another version may lay out the rest differently: report the version, not the layout.
                    throw SyncError(.versionMismatch, "peer speaks protocol version \(version), this build speaks \(protocolVersion)", frameType: type, offset: 0, cause: error)
                }
            case .ack:
                let stream = try readStream(from: &reader)
                frame = .ack(stream, sequence: try readSequence(from: &reader))
            case .reject:
                let stream = try readStream(from: &reader)
                let sequence = try readSequence(from: &reader)
                frame = .reject(stream, sequence: sequence, reason: try reader.readString("reason"))
            case .summary:
                frame = .summary(try readVector(from: &reader))
            case .error:
                let code = try reader.readString("error code")
                frame = .error(code: code, message: try reader.readString("error message"))
            case .ping:
                frame = .ping(nonce: try reader.readUInt64("nonce"))
            case .pong:
                frame = .pong(nonce: try reader.readUInt64("nonce"))
            default:
                throw SyncError(.unknownFrameType, "frame \(frameType) is not a known message", frameType: type)
            }
            try reader.expectEnd("\(frameType) payload")
            return frame
        } catch let error as ModelError {
            throw SyncError(.malformedFrame, "\(frameType) frame at payload offset \(error.offset ?? reader.offset): \(error.message)", frameType: type, offset: error.offset ?? reader.offset, cause: error)
        }
    }

    // MARK: - Fields

    private static func readHello(version: UInt16, from reader: inout BinaryReader) throws -> Frame.Hello {
        let unitOffset = reader.offset
        let unit = try reader.readString("unit")
        guard (try? UnitID(unit)) != nil else {
            throw ModelError(.malformed, "unit is not a valid unit id", offset: unitOffset)
        }
        let policyVersion = try reader.readUInt64("policy version")
        let vector = try readVector(from: &reader)
        try reader.expectEnd("hello payload")
        return Frame.Hello(protocolVersion: version, unit: unit, policyVersion: policyVersion, vector: vector)
    }

    private static func writeStream(_ stream: StreamID, to writer: inout BinaryWriter) {
        writer.writeString(stream.author.rawValue)
        writer.writeString(stream.shareClass)
    }

    private static func writeVector(_ vector: [StreamHead], to writer: inout BinaryWriter) {
        writer.writeVarint(UInt64(vector.count))
        for head in vector {
            writeStream(head.stream, to: &writer)
            writer.writeUInt64(head.sequence)
            writer.writeRaw(head.hash)
        }
    }

    private static func readStream(from reader: inout BinaryReader) throws -> StreamID {
        let authorOffset = reader.offset
        guard let author = try? UnitID(reader.readString("author")) else {
            throw ModelError(.malformed, "author is not a valid unit id", offset: authorOffset)
        }
        let classOffset = reader.offset
        guard let stream = try? StreamID(author: author, shareClass: reader.readString("share class")) else {
            throw ModelError(.malformed, "share class is not a valid identifier", offset: classOffset)
        }
        return stream
    }

    private static func readSequence(from reader: inout BinaryReader) throws -> UInt64 {
        let offset = reader.offset
        let sequence = try reader.readUInt64("sequence number")
        guard sequence >= 1 else { throw ModelError(.malformed, "sequence numbers start at 1", offset: offset) }
        return sequence
    }

    private static func readVector(from reader: inout BinaryReader) throws -> [StreamHead] {
        let count = try reader.readCount("vector length", minElementBytes: minHeadBytes)
        var vector: [StreamHead] = []
        vector.reserveCapacity(count)
        for _ in 0..<count {
            let offset = reader.offset
            let stream = try readStream(from: &reader)
            if let last = vector.last, !(last.stream < stream) {
                throw ModelError(.malformed, "vector entries are not strictly sorted by stream", offset: offset)
            }
            let sequence = try reader.readUInt64("head sequence")
            vector.append(StreamHead(stream: stream, sequence: sequence, hash: try reader.readRaw(32, "head hash")))
        }
        return vector
    }

    private static func varintSize(_ value: UInt64) -> Int {
        var size = 1
        var rest = value >> 7
        while rest > 0 {
            size += 1
            rest >>= 7
        }
        return size
    }

    private static func stringSize(_ value: String) -> Int { varintSize(UInt64(value.utf8.count)) + value.utf8.count }
}

import AccordLedger
import AccordModel
import AccordSync
import Testing

@Suite("Frame codec")
struct FrameCodecTests {
    static var samples: [Frame] {
        let alpha = Pool.stream(0, 0)
        let beta = Pool.stream(1, 1)
        return [
            .hello(.init(protocolVersion: 1, unit: "ua", policyVersion: 7, vector: [Pool.head(alpha, 3), Pool.head(beta, 0)])),
            .hello(.init(protocolVersion: 1, unit: "ub", policyVersion: 0, vector: [])),
            .batch(Pool.streams[alpha]![0]),
            .batch(Pool.streams[beta]![5].redacting(leafAt: 0)),
            .ack(alpha, sequence: 4),
            .reject(beta, sequence: 2, reason: "gap: stream stands at 0"),
            .summary([Pool.head(alpha, 6), Pool.head(beta, 2)]),
            .summary([]),
            .error(code: "protocolViolation", message: "batch before hello"),
            .ping(nonce: 0),
            .pong(nonce: .max),
            .policy(document: Array(#"{"format": "accord-policy/1"}"#.utf8)),
            .policy(document: []),
        ]
    }

    @Test func everyMessageTypeRoundTrips() throws {
        for frame in Self.samples {
            let bytes = FrameCodec.encode(frame)
            #expect(try FrameCodec.decode(bytes) == frame)
            #expect(Int(bytes[0]) << 24 | Int(bytes[1]) << 16 | Int(bytes[2]) << 8 | Int(bytes[3]) == bytes.count - 4)
            #expect(bytes[4] == frame.type.rawValue)
        }
    }

    @Test func batchSizeHelperMatchesTheEncoding() {
        for batches in Pool.streams.values {
            for batch in batches {
                #expect(FrameCodec.encodedSize(of: batch) == BatchCodec.encode(batch).count)
                #expect(FrameCodec.frameSize(of: batch) == FrameCodec.encode(.batch(batch)).count)
                #expect(FrameCodec.encodedSize(of: batch.redacting(leafAt: 0)) == BatchCodec.encode(batch.redacting(leafAt: 0)).count)
            }
        }
    }

    @Test func everyTruncationIsRefused() {
        for frame in Self.samples {
            let bytes = FrameCodec.encode(frame)
            for length in 0..<bytes.count {
                #expect(throws: SyncError(.malformedFrame, "")) { try FrameCodec.decode(Array(bytes[..<length])) }
            }
            // A length prefix one short cuts the payload inside the frame.
            var short = bytes
            short[3] &-= 1
            short.removeLast()
            #expect(throws: SyncError.self) { try FrameCodec.decode(short) }
        }
    }

    @Test func trailingBytesInsideThePayloadAreRefused() {
        for frame in Self.samples {
            var payload = FrameCodec.encodePayload(frame)
            payload.append(0)
            let error = #expect(throws: SyncError.self) { try FrameCodec.decodePayload(type: frame.type.rawValue, payload) }
            #expect(error?.code == .malformedFrame)
            #expect(error?.frameType == frame.type.rawValue)
        }
    }

    @Test func trailingBytesAfterTheFrameAreRefused() {
        #expect(throws: SyncError(.malformedFrame, "")) { try FrameCodec.decode(FrameCodec.encode(.ping(nonce: 1)) + [0]) }
    }

    @Test func unknownTypesAndEmptyFramesAreRefused() {
        for type: UInt8 in [0, 10, 99, 255] {
            let error = #expect(throws: SyncError.self) { try FrameCodec.decode([0, 0, 0, 1, type]) }
            #expect(error?.code == .unknownFrameType)
            #expect(error?.message.contains("type \(type)") == true)
        }
        #expect(throws: SyncError(.malformedFrame, "")) { try FrameCodec.decode([0, 0, 0, 0]) }
    }

    @Test func nonCanonicalVectorsAndFieldsAreRefused() throws {
        let alpha = Pool.stream(0, 0)
        let beta = Pool.stream(1, 1)
        let unsorted = FrameCodec.encode(.summary([Pool.head(beta, 1), Pool.head(alpha, 1)]))
        let error = #expect(throws: SyncError.self) { try FrameCodec.decode(unsorted) }
        #expect(error?.code == .malformedFrame)
        #expect(error?.message.contains("sorted") == true)
        let duplicated = FrameCodec.encode(.summary([Pool.head(alpha, 1), Pool.head(alpha, 2)]))
        #expect(throws: SyncError(.malformedFrame, "")) { try FrameCodec.decode(duplicated) }
        #expect(throws: SyncError(.malformedFrame, "")) { try FrameCodec.decode(FrameCodec.encode(.ack(alpha, sequence: 0))) }
        let badUnit = FrameCodec.encode(.hello(.init(protocolVersion: 1, unit: "Secret Unit", policyVersion: 1, vector: [])))
        let unitError = #expect(throws: SyncError.self) { try FrameCodec.decode(badUnit) }
        #expect(unitError?.code == .malformedFrame)
        #expect(unitError?.offset == 2)
        #expect(unitError.map { !$0.description.contains("Secret") } == true)
    }

    @Test func anotherVersionsHelloIsAVersionMismatchEvenIfItsLayoutDiffers() throws {
        // Version 2 followed by bytes that are not a version-1 hello.
        let error = #expect(throws: SyncError.self) { try FrameCodec.decode([0, 0, 0, 6, 1, 0, 2, 0xFF, 0xFF, 0xFF]) }
        #expect(error?.code == .versionMismatch)
        // A version-2 hello in the version-1 layout decodes; the session refuses it.
        let hello = Frame.hello(.init(protocolVersion: 2, unit: "ua", policyVersion: 1, vector: []))
        #expect(try FrameCodec.decode(FrameCodec.encode(hello)) == hello)
    }

    @Test func aCorruptBatchNamesTheOffsetNotTheContent() throws {
        var bytes = FrameCodec.encode(.batch(Pool.streams[Pool.stream(0, 0)]![0]))
        bytes[5] = 9  // batch format version
        let error = #expect(throws: SyncError.self) { try FrameCodec.decode(bytes) }
        #expect(error?.code == .malformedFrame)
        #expect(error?.offset == 0)
        #expect(error?.message.contains("batch") == true)
    }

    @Test func mutatedFramesDecodeCanonicallyOrThrowSyncError() {
        var random = SplitMix64(seed: 11)
        let encoded = Self.samples.map { FrameCodec.encode($0) }
        var refused = 0
        for _ in 0..<3000 {
            var bytes = encoded[Int(random.next() % UInt64(encoded.count))]
            for _ in 0..<(1 + Int(random.next() % 3)) {
                let index = 4 + Int(random.next() % UInt64(bytes.count - 4))
                bytes[index] ^= UInt8(truncatingIfNeeded: random.next() | 1)
            }
            do {
                let frame = try FrameCodec.decode(bytes)
                #expect(FrameCodec.encode(frame) == bytes, "a decoded frame re-encodes to the same bytes")
            } catch is SyncError {
                refused += 1
            } catch {
                Issue.record("unexpected error type \(error)")
            }
        }
        #expect(refused > 1000)
    }
}

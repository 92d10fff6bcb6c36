import AccordImport
import AccordLedger
import AccordModel
import AccordPolicy
import AccordSync

/// The inputs Accord reads from outside, each as a fuzz target: a function from arbitrary bytes
/// that must never crash, hang or use unbounded memory, and that checks an oracle where one exists.
///
/// The oracle for the binary formats is canonicality: every decoder refuses all but the one
/// canonical encoding of a value, so whatever decodes must re-encode to exactly the input bytes.
/// For the policy: whatever parses must parse again, from its canonical JSON, to an equal policy.
/// A broken oracle stops the process with `preconditionFailure`, which libFuzzer reports as a crash
/// and the regression tests as a failure.
///
/// The same functions run under libFuzzer (`accord-fuzz`, built with `-sanitize=fuzzer`) and over
/// the kept corpus and crashers in the tests (`Tests/AccordFuzzingTests`).
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// The sync frame decoder, fed in pieces as from a socket.
    case frames
    /// The batch codec (header, leaves, signature) and the record writes in its leaves.
    case batch
    /// The entry codec: record writes, record states and values.
    case entry
    /// The policy parser (JSON with paths in errors) and its canonical form.
    case policy
    /// CSV import: the reader and row conversion under the sample catalog.
    case csv
    /// JSON-lines import: the reader and row conversion under the sample catalog.
    case jsonl
    /// The HTTP/1.1 request parser, fed whole and in pieces.
    case http
    /// The segment filter parser, and the engine over a fixed table of a few profiles.
    case segment

    /// Runs one input through the target.
    /// - Parameter bytes: any bytes.
    /// - Returns: whether the input was accepted (decoded, parsed, or gave at least one row), so
    ///   tests can tell that the oracles were exercised, not only the refusals.
    @discardableResult
    public func run(_ bytes: [UInt8]) -> Bool {
        switch self {
        case .frames: Self.frames(bytes)
        case .batch: Self.batch(bytes)
        case .entry: Self.entry(bytes)
        case .policy: Self.policy(bytes)
        case .csv: ImportFuzzing.csv(bytes)
        case .jsonl: ImportFuzzing.jsonl(bytes)
        case .http: HTTPFuzzing.run(bytes)
        case .segment: SegmentFuzzing.run(bytes)
        }
    }

    /// Stops the process when an oracle does not hold.
    static func check(_ condition: Bool, _ message: @autoclosure () -> String) {
        if !condition { preconditionFailure("fuzz oracle failed: \(message())") }
    }

    /// Frames: the input is split into pieces whose sizes come from its first byte, so the
    /// decoder's buffering across reads is exercised; every decoded frame must re-encode to the
    /// bytes it was read from, and a decoder that failed once must stay failed.
    static func frames(_ bytes: [UInt8]) -> Bool {
        let limit = 1 << 16
        var decoder = FrameDecoder(maxFrameSize: limit, batchLimits: BatchCodec.Limits(maxBatchBytes: limit, maxLeafBytes: limit, maxLeaves: 256))
        let step = 1 + Int(bytes.first ?? 0) % 61
        var consumed: [UInt8] = []
        var decoded = 0
        var index = 0
        while index < bytes.count {
            let piece = bytes[index..<min(bytes.count, index + step)]
            index += piece.count
            decoder.append(piece)
            consumed.append(contentsOf: piece)
            do {
                while let frame = try decoder.nextFrame() {
                    decoded += 1
                    let encoded = FrameCodec.encode(frame)
                    check(consumed.count - decoder.bufferedByteCount >= encoded.count, "a frame re-encodes longer than its input")
                    let start = consumed.count - decoder.bufferedByteCount - encoded.count
                    check(Array(consumed[start..<(start + encoded.count)]) == encoded, "frame \(frame.type) does not re-encode to its bytes")
                }
            } catch {
                check(decoder.hasFailed, "a decoder error did not mark the decoder failed")
                return decoded > 0
            }
        }
        return decoded > 0
    }

    /// Batches: a decoded batch re-encodes to the input; each leaf that decodes re-encodes to its
    /// content.
    static func batch(_ bytes: [UInt8]) -> Bool {
        guard let batch = try? BatchCodec.decode(bytes, limits: BatchCodec.Limits(maxBatchBytes: 1 << 20, maxLeafBytes: 1 << 16, maxLeaves: 1024))
        else { return false }
        check(BatchCodec.encode(batch) == bytes, "batch \(batch.describe) does not re-encode to its bytes")
        for leaf in batch.leaves {
            guard let write = try? leaf.recordWrite() else { continue }
            check((try? EntryCodec.decodeRecordWrite(EntryCodec.encode(write))) == write, "a leaf's record write does not round-trip")
        }
        return true
    }

    /// Entries: the input, after a selector byte, is decoded as a record write, a record state
    /// or a lone value; what decodes must re-encode to the same bytes.
    static func entry(_ bytes: [UInt8]) -> Bool {
        guard let selector = bytes.first else { return false }
        let body = Array(bytes.dropFirst())
        switch selector % 3 {
        case 0:
            guard let write = try? EntryCodec.decodeRecordWrite(body) else { return false }
            check(EntryCodec.encode(write) == body, "record write does not re-encode to its bytes")
        case 1:
            guard let state = try? EntryCodec.decodeRecordState(body) else { return false }
            check(EntryCodec.encode(state) == body, "record state does not re-encode to its bytes")
        default:
            var reader = BinaryReader(body)
            guard let value = try? EntryCodec.readValue(from: &reader), reader.isAtEnd else { return false }
            var writer = BinaryWriter(capacity: body.count)
            EntryCodec.writeValue(value, to: &writer)
            check(writer.bytes == body, "value does not re-encode to its bytes")
        }
        return true
    }

    /// Policies: a parsed policy's canonical form parses to an equal policy whose canonical form
    /// is the same bytes.
    static func policy(_ bytes: [UInt8]) -> Bool {
        guard let policy = try? Policy.parse(bytes, source: "fuzz") else { return false }
        let canonical = policy.canonicalJSON()
        guard let again = try? Policy.parse(canonical, source: "canonical") else {
            check(false, "the canonical form of a valid policy does not parse")
            return true
        }
        check(again.canonicalJSON() == canonical, "the canonical form is not a fixed point")
        return true
    }
}

import AccordSync
import Testing

@Suite("Frame decoder")
struct FrameDecoderTests {
    @Test func anyChoppingOfTheStreamYieldsTheSameFrames() throws {
        let frames = FrameCodecTests.samples + FrameCodecTests.samples.reversed()
        let stream = frames.flatMap { FrameCodec.encode($0) }
        var random = SplitMix64(seed: 3)
        for round in 0..<300 {
            var decoder = FrameDecoder()
            var decoded: [Frame] = []
            var index = 0
            while index < stream.count {
                let step = round % 10 == 0 ? 1 : 1 + Int(random.next() % 700)
                decoder.append(stream[index..<min(index + step, stream.count)])
                index += step
                while let frame = try decoder.nextFrame() { decoded.append(frame) }
            }
            #expect(decoded == frames)
            #expect(decoder.bufferedByteCount == 0)
        }
    }

    @Test func oversizedLengthIsRefusedFromThePrefixAlone() throws {
        var decoder = FrameDecoder(maxFrameSize: 1000)
        decoder.append([0, 0, 0x03])
        #expect(try decoder.nextFrame() == nil)
        decoder.append([0xE9])  // 1001
        let error = #expect(throws: SyncError.self) { try decoder.nextFrame() }
        #expect(error?.code == .frameTooLarge)
        #expect(error?.message.contains("1001") == true)
        // It stays failed and buffers nothing more.
        decoder.append([UInt8](repeating: 0, count: 5000))
        #expect(decoder.bufferedByteCount == 0)
        #expect(decoder.hasFailed)
        #expect(throws: SyncError(.frameTooLarge, "")) { try decoder.nextFrame() }

        var defaults = FrameDecoder()
        defaults.append([0xFF, 0xFF, 0xFF, 0xFF])
        #expect(throws: SyncError(.frameTooLarge, "")) { try defaults.nextFrame() }
        var atLimit = FrameDecoder(maxFrameSize: 1000)
        atLimit.append([0, 0, 0x03, 0xE8, 7])
        #expect(try atLimit.nextFrame() == nil, "exactly the maximum waits for the payload")
    }

    @Test func errorsNameTheStreamOffset() throws {
        var decoder = FrameDecoder()
        let first = FrameCodec.encode(.ping(nonce: 5))
        decoder.append(first + [0, 0, 0, 1, 77])
        #expect(try decoder.nextFrame() == .ping(nonce: 5))
        let error = #expect(throws: SyncError.self) { try decoder.nextFrame() }
        #expect(error?.code == .unknownFrameType)
        #expect(error?.message.contains("stream offset \(first.count)") == true)
    }

    @Test func randomBytesNeverCrash() {
        var random = SplitMix64(seed: 2024)
        var refused = 0
        var incomplete = 0
        for round in 0..<10_000 {
            let length = Int(random.next() % 120)
            var bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            if round % 2 == 0 && length >= 5 {
                // A plausible prefix and type, so the payload decoders get exercised.
                let declared = length - 4 - Int(random.next() % 2)
                bytes[0] = 0
                bytes[1] = 0
                bytes[2] = UInt8(declared >> 8)
                bytes[3] = UInt8(truncatingIfNeeded: declared)
                bytes[4] = UInt8(1 + random.next() % 8)
            }
            var decoder = FrameDecoder(maxFrameSize: 1 << 16)
            decoder.append(bytes)
            do {
                while try decoder.nextFrame() != nil {}
                incomplete += 1
            } catch is SyncError {
                refused += 1
            } catch {
                Issue.record("unexpected error type \(error)")
            }
        }
        #expect(refused + incomplete == 10_000)
        #expect(refused > 5_000)
    }
}

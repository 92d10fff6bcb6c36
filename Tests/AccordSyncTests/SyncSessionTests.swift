import AccordLedger
import AccordModel
import AccordSync
import Testing

@Suite("Sync session")
struct SyncSessionTests {
    let alpha = Pool.stream(0, 0)  // ua/alpha
    let beta = Pool.stream(0, 1)  // ua/beta
    let gamma = Pool.stream(1, 2)  // ub/gamma

    func session(
        _ unit: String, holding vector: [StreamHead] = [], version: UInt16 = 1, window: Int = 8 << 20, perRequest: Int = 64,
        mayReceive: @escaping @Sendable (StreamID) -> Bool = { _ in true }
    ) -> SyncSession {
        SyncSession(
            configuration: .init(
                localUnit: unit, protocolVersion: version, maxInFlightBytes: window, maxBatchesPerRequest: perRequest,
                pingInterval: 5, idleTimeout: 20, summaryInterval: 10, resendTimeout: 15),
            localVector: vector, policyVersion: 3, mayReceive: mayReceive)
    }

    func hello(_ unit: String, _ vector: [StreamHead] = [], version: UInt16 = 1) -> Frame {
        .hello(.init(protocolVersion: version, unit: unit, policyVersion: 3, vector: vector))
    }

    func batches(_ stream: StreamID, _ range: ClosedRange<Int>) -> [Batch] {
        Array(Pool.streams[stream]![(range.lowerBound - 1)...(range.upperBound - 1)])
    }

    func sentBatches(_ actions: [SyncSession.Action]) -> [String] {
        actions.frames.compactMap { if case .batch(let batch) = $0 { batch.describe } else { nil } }
    }

    @Test func batchBeforeHelloIsAProtocolViolation() {
        var session = session("ub")
        _ = session.start(now: 0)
        let actions = session.received(.batch(Pool.streams[alpha]![0]), now: 1)
        guard case .error(let code, let message) = actions.frames.first else {
            Issue.record("expected an error frame, got \(actions)")
            return
        }
        #expect(code == "protocolViolation")
        #expect(message.contains("batch"))
        #expect(actions.closes)
        #expect(session.isClosed && !session.isEstablished)
        #expect(session.received(hello("ua"), now: 2).isEmpty, "a closed session ignores input")
        for frame: Frame in [.ack(alpha, sequence: 1), .summary([]), .ping(nonce: 1)] {
            var fresh = self.session("ub")
            _ = fresh.start(now: 0)
            #expect(fresh.received(frame, now: 1).closes)
        }
    }

    @Test func versionMismatchSendsAnErrorAndCloses() {
        var session = session("ub")
        _ = session.start(now: 0)
        let actions = session.received(hello("ua", version: 2), now: 1)
        #expect(actions.frames.first.map { if case .error(let code, _) = $0 { code == "versionMismatch" } else { false } } == true)
        #expect(actions.closes)
        // Two sessions with different versions, wired together.
        var newer = self.session("ua", version: 2)
        var older = self.session("ub")
        let helloOfNewer = newer.start(now: 0).frames[0]
        _ = older.start(now: 0)
        #expect(older.received(helloOfNewer, now: 0).closes)
    }

    @Test func peerErrorAndDecoderFailureClose() {
        var session = session("ub")
        _ = session.start(now: 0)
        #expect(session.received(.error(code: "x", message: "bye"), now: 1) == [.close(reason: "peer sent error x: bye")])
        var other = self.session("ub")
        _ = other.start(now: 0)
        let actions = other.failed(SyncError(.frameTooLarge, "frame at stream offset 0 announces 99 bytes"), now: 1)
        #expect(actions.frames == [.error(code: "frameTooLarge", message: "frame at stream offset 0 announces 99 bytes")])
        #expect(actions.closes)
    }

    @Test func helloCarriesOnlyStreamsThePeerMayReceiveAndThoseAreNotSent() {
        var session = session("ua", holding: [Pool.head(alpha, 2), Pool.head(beta, 3)]) { $0.shareClass == "alpha" }
        let start = session.start(now: 0)
        #expect(start.frames == [hello("ua", [Pool.head(alpha, 2)])])
        let actions = session.received(hello("ub"), now: 0)
        #expect(session.isEstablished && session.peerUnit == "ub" && session.peerPolicyVersion == 3)
        #expect(actions.first == .peerVectorKnown([]))
        #expect(actions.loads.map { "\($0.0)/\($0.1)" } == ["ua/alpha/0"])
        _ = session.localBatchesAvailable([Pool.head(beta, 4)], now: 1)
        #expect(session.tick(now: 11).frames.contains(.summary([Pool.head(alpha, 2)])))
    }

    @Test func sendsOnlyWhatThePeerLacksOldestFirst() {
        var session = session("ua", holding: [Pool.head(alpha, 6)])
        _ = session.start(now: 0)
        let actions = session.received(hello("ub", [Pool.head(alpha, 4)]), now: 0)
        #expect(actions.loads.map { $0.1 } == [4])
        // Even if the node answers with more than asked, nothing the peer holds is sent.
        let sent = session.loaded(alpha, batches: batches(alpha, 1...6), now: 0)
        #expect(sentBatches(sent) == ["ua/alpha#5", "ua/alpha#6"])
        #expect(sent.loads.isEmpty)
    }

    @Test func incomingBatchesBecomeAppliesThenAcksOrRejects() {
        var session = session("ub")
        _ = session.start(now: 0)
        _ = session.received(hello("ua", [Pool.head(alpha, 2)]), now: 0)
        let batch = Pool.streams[alpha]![0]
        #expect(session.received(.batch(batch), now: 1) == [.apply(batch, encodedSize: BatchCodec.encode(batch).count)])
        #expect(session.applied(alpha, sequence: 1, now: 1).frames == [.ack(alpha, sequence: 1)])
        #expect(session.refused(alpha, sequence: 2, reason: "gap", now: 1).frames == [.reject(alpha, sequence: 2, reason: "gap")])
        // A long reason is cut so the peer's decoder accepts it.
        let long = session.refused(alpha, sequence: 3, reason: String(repeating: "é", count: 100_000), now: 1).frames
        #expect(long.count == 1 && (try? FrameCodec.decode(FrameCodec.encode(long[0]))) != nil)
        // What we applied is announced, and nothing is sent back to the peer that sent it.
        let tick = session.tick(now: 10)
        #expect(tick.frames.contains(.summary([Pool.head(alpha, 1)])))
        #expect(tick.loads.isEmpty)
    }

    @Test func flowControlHoldsTheWindowAndResumesOnAcks() {
        let all = batches(alpha, 1...6)
        let sizes = all.map { FrameCodec.frameSize(of: $0) }
        let window = sizes[0] + sizes[1] + sizes[2] / 2
        var session = session("ua", holding: [Pool.head(alpha, 6)], window: window)
        _ = session.start(now: 0)
        _ = session.received(hello("ub"), now: 0)
        var sent = sentBatches(session.loaded(alpha, batches: all, now: 0))
        #expect(sent == ["ua/alpha#1", "ua/alpha#2"])
        #expect(session.inFlightBytes == sizes[0] + sizes[1])
        for sequence in 1...6 {
            sent += sentBatches(session.received(.ack(alpha, sequence: UInt64(sequence)), now: 1))
            #expect(session.inFlightBytes <= window)
        }
        #expect(sent == (1...6).map { "ua/alpha#\($0)" })
        #expect(session.inFlightBytes == 0)
    }

    @Test func streamsInterleaveAndAreLoadedOnceAtATime() {
        var session = session("ua", holding: [Pool.head(alpha, 3), Pool.head(beta, 3)], window: 1, perRequest: 2)
        _ = session.start(now: 0)
        let loads = session.received(hello("ub"), now: 0).loads
        #expect(Set(loads.map { "\($0.0)/\($0.1)/\($0.2)" }) == ["ua/alpha/0/2", "ua/beta/0/2"])
        // While the loads are out, nothing asks for them again.
        #expect(session.localBatchesAvailable([Pool.head(alpha, 3)], now: 0).loads.isEmpty)
        #expect(session.received(.summary([]), now: 1).loads.isEmpty)
        #expect(session.tick(now: 2).loads.isEmpty)
        // A window of one byte still sends one batch at a time.
        var order = sentBatches(session.loaded(alpha, batches: batches(alpha, 1...2), now: 2))
        order += sentBatches(session.loaded(beta, batches: batches(beta, 1...2), now: 2))
        var acks: [StreamID: UInt64] = [:]
        var pendingLoads: [(StreamID, UInt64)] = []
        for _ in 0..<10 {
            guard let last = order.last else { break }
            let stream = last.hasPrefix("ua/alpha") ? alpha : beta
            acks[stream, default: 0] += 1
            let actions = session.received(.ack(stream, sequence: acks[stream]!), now: 3)
            order += sentBatches(actions)
            pendingLoads += actions.loads.map { ($0.0, $0.1) }
            for (loadStream, after) in pendingLoads {
                order += sentBatches(session.loaded(loadStream, batches: batches(loadStream, Int(after) + 1...3), now: 3))
            }
            pendingLoads = []
        }
        #expect(order == ["ua/alpha#1", "ua/beta#1", "ua/alpha#2", "ua/beta#2", "ua/alpha#3", "ua/beta#3"])
    }

    @Test func aRejectStopsTheStreamAndIsReportedOnce() {
        var session = session("ua", holding: [Pool.head(alpha, 4), Pool.head(gamma, 1)])
        _ = session.start(now: 0)
        _ = session.received(hello("ub"), now: 0)
        _ = session.loaded(alpha, batches: batches(alpha, 1...4), now: 0)
        _ = session.loaded(gamma, batches: batches(gamma, 1...1), now: 0)
        #expect(session.received(.reject(alpha, sequence: 9, reason: "never sent"), now: 1).isEmpty)
        let first = session.received(.reject(alpha, sequence: 2, reason: "bad signature"), now: 1)
        #expect(first.contains(.peerRejected(alpha, sequence: 2, reason: "bad signature")))
        #expect(session.received(.reject(alpha, sequence: 3, reason: "gap"), now: 1).isEmpty)
        #expect(session.inFlightBytes == FrameCodec.frameSize(of: Pool.streams[gamma]![0]))
        let more = session.localBatchesAvailable([Pool.head(alpha, 6), Pool.head(gamma, 2)], now: 2)
        #expect(more.loads.map { $0.0 } == [gamma])
        #expect(session.received(.summary([]), now: 30).loads.allSatisfy { $0.0 != alpha })
    }

    @Test func aFutureBoundRefusalIsRetriedAfterTheResendTimeoutAndOthersAreNot() {
        var session = session("ua", holding: [Pool.head(alpha, 3), Pool.head(beta, 2)])
        _ = session.start(now: 0)
        _ = session.received(hello("ub"), now: 0)
        _ = session.loaded(alpha, batches: batches(alpha, 1...3), now: 0)
        _ = session.loaded(beta, batches: batches(beta, 1...2), now: 0)
        _ = session.received(.ack(alpha, sequence: 1), now: 1)
        let skew = "batch ua/alpha#2: leaf 0 (record ua/C-1): written 300000 ms in the future, over the bound of 60000 ms"
        #expect(session.received(.reject(alpha, sequence: 2, reason: skew), now: 1).contains(.peerRejected(alpha, sequence: 2, reason: skew)))
        #expect(session.received(.reject(beta, sequence: 1, reason: "batch ua/beta#1: bad signature"), now: 1).count == 1)
        // Before the resend timeout (15 s here) nothing of either stream is sent again ...
        let early = session.tick(now: 15.9)
        #expect(early.loads.isEmpty && sentBatches(early).isEmpty)
        // ... after it, the stream refused for the future bound is, from what the peer holds.
        let late = session.tick(now: 16)
        #expect(late.loads.map { $0.0 } == [alpha] && late.loads.map { $0.1 } == [1])
        #expect(sentBatches(session.loaded(alpha, batches: batches(alpha, 2...3), now: 16)) == ["ua/alpha#2", "ua/alpha#3"])
        // Refused again (the clocks still apart): reported again, and retried again later.
        #expect(session.received(.reject(alpha, sequence: 2, reason: skew), now: 17).contains(.peerRejected(alpha, sequence: 2, reason: skew)))
        #expect(session.tick(now: 31).loads.isEmpty)
        #expect(session.tick(now: 32).loads.map { $0.0 } == [alpha])
        // The signature refusal stands for the session.
        #expect(session.tick(now: 500).loads.allSatisfy { $0.0 != beta })
        #expect(session.received(.summary([]), now: 600).loads.allSatisfy { $0.0 != beta })
    }

    @Test func onlyFutureBoundRefusalsMayPassLater() {
        #expect(SyncSession.mayPassLater("batch r/identity#2: leaf 0 (record r/C-1): written 61000 ms in the future, over the bound of 60000 ms"))
        #expect(SyncSession.mayPassLater("batch r/identity#2: remote clock is 70000 ms ahead, over the bound of 60000 ms"))
        for reason in ["batch r/identity#2: bad signature", "gap: stream stands at 0", "written under policy v4, this node holds v3",
                       "attribute \"x\" is not in the catalog of policy v3"] {
            #expect(!SyncSession.mayPassLater(reason), "\(reason)")
        }
    }

    @Test func aLostBatchIsResentAfterASummaryOnceTheTimeoutPassed() {
        var session = session("ua", holding: [Pool.head(alpha, 3)])
        _ = session.start(now: 0)
        _ = session.received(hello("ub"), now: 0)
        #expect(sentBatches(session.loaded(alpha, batches: batches(alpha, 1...3), now: 0)).count == 3)
        _ = session.received(.ack(alpha, sequence: 2), now: 1)
        // Batch 3 is lost. A summary soon after does not resend (it may still be in transit) ...
        let early = session.received(.summary([Pool.head(alpha, 2)]), now: 5)
        #expect(early.loads.isEmpty && sentBatches(early).isEmpty)
        // ... one after the resend timeout does, from what the peer holds.
        let late = session.received(.summary([Pool.head(alpha, 2)]), now: 16)
        #expect(late.loads.map { $0.1 } == [2])
        #expect(session.inFlightBytes == 0)
        #expect(sentBatches(session.loaded(alpha, batches: batches(alpha, 3...3), now: 16)) == ["ua/alpha#3"])
        // A summary that shows the batch arrived releases it.
        _ = session.received(.summary([Pool.head(alpha, 3)]), now: 17)
        #expect(session.inFlightBytes == 0)
    }

    @Test func anEmptyLoadWaitsForANewHead() {
        var session = session("ua", holding: [Pool.head(alpha, 2)])
        _ = session.start(now: 0)
        #expect(session.received(hello("ub"), now: 0).loads.count == 1)
        #expect(session.loaded(alpha, batches: [], now: 0).isEmpty, "no busy loop on an empty answer")
        #expect(session.tick(now: 1).loads.isEmpty)
        #expect(session.localBatchesAvailable([Pool.head(alpha, 3)], now: 2).loads.map { $0.1 } == [0])
    }

    @Test func pingsPongsAndIdleTimeout() {
        var session = session("ua")
        _ = session.start(now: 0)
        _ = session.received(hello("ub"), now: 0)
        #expect(session.received(.ping(nonce: 42), now: 1) == [.send(.pong(nonce: 42))])
        #expect(session.received(.policy(document: [1, 2, 3]), now: 1) == [.policyReceived([1, 2, 3])])
        #expect(session.tick(now: 5).frames.contains(.ping(nonce: 1)))
        #expect(session.tick(now: 6).frames.isEmpty)
        _ = session.received(.pong(nonce: 1), now: 6)
        #expect(!session.tick(now: 25).closes)
        let idle = session.tick(now: 26)
        #expect(idle.closes)
        #expect(idle.frames.first.map { if case .error(let code, _) = $0 { code == "idleTimeout" } else { false } } == true)
        // Before the peer's hello, silence closes too.
        var waiting = self.session("ua")
        _ = waiting.start(now: 0)
        #expect(waiting.tick(now: 20).closes)
    }

    @Test func aPeerSilentAfterConnectingMustSayHelloWithinTheHelloTimeout() {
        var configuration = SyncSession.Configuration(localUnit: "ua", idleTimeout: 60)
        configuration.helloTimeout = 3
        let make = { SyncSession(configuration: configuration, localVector: [], policyVersion: 3, mayReceive: { _ in true }) }
        var silent = make()
        _ = silent.start(now: 100)
        #expect(!silent.tick(now: 102.9).closes)
        let dropped = silent.tick(now: 103)
        #expect(dropped.closes)
        #expect(dropped.frames.first.map { if case .error(_, let message) = $0 { message.contains("helloTimeout") } else { false } } == true)
        // Once the hello came, the hello timeout no longer applies (the idle timeout does).
        var greeted = make()
        _ = greeted.start(now: 0)
        _ = greeted.received(hello("ub"), now: 1)
        #expect(!greeted.tick(now: 10).closes)
    }

    @Test func duplicateHelloIsIgnoredADifferentOneIsNot() {
        var session = session("ua")
        _ = session.start(now: 0)
        _ = session.received(hello("ub"), now: 0)
        #expect(session.received(hello("ub"), now: 1).isEmpty)
        #expect(session.received(hello("uc"), now: 1).closes)
        var selfTalk = self.session("ua")
        _ = selfTalk.start(now: 0)
        #expect(selfTalk.received(hello("ua"), now: 0).closes)
    }
}

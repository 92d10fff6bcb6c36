public import AccordLedger

extension SyncSession {
    /// Results of a ``Action/loadBatches(_:after:limit:)`` request: queues them and sends what the
    /// flow-control window allows.
    /// - Parameters:
    ///   - stream: the stream that was asked for.
    ///   - batches: the stored batches after the requested sequence, in order (empty when none).
    ///   - now: the current time in seconds.
    public mutating func loaded(_ stream: StreamID, batches: [Batch], now: Double) -> [Action] {
        guard !closed, var state = outbound[stream] else { return [] }
        let requestVersion = state.loadingVersion
        let after = state.loadingAfter
        state.loadingAfter = nil
        let next = max(state.sentUpTo, peerHas[stream] ?? 0) + 1
        if batches.isEmpty {
            // The node holds nothing after `after`: wait for a higher head, unless one was
            // announced after the request went out or sending moved back (a rewind) since.
            if let after, after < next, requestVersion == state.targetVersion { state.stalled = true }
        } else {
            // Keep the run that continues exactly where sending stands; anything else is stale
            // (a rewind or an acknowledgement moved the position) and is asked for again.
            var queue: [OutboundStream.Queued] = []
            var expected = next
            for batch in batches where batch.stream == stream && batch.header.sequence >= next {
                guard batch.header.sequence == expected else { break }
                queue.append(.init(batch: batch, frameBytes: FrameCodec.frameSize(of: batch)))
                expected += 1
            }
            state.queue = queue
            if let last = queue.last { state.raiseTarget(to: last.sequence) }
        }
        outbound[stream] = state
        return pump(now: now)
    }

    mutating func handleAck(_ stream: StreamID, _ sequence: UInt64, now: Double) -> [Action] {
        notePeerHas(stream, sequence)
        if var state = outbound[stream] {
            inFlightBytes -= state.releaseInFlight(through: sequence)
            outbound[stream] = state
        }
        return pump(now: now)
    }

    mutating func handleReject(_ stream: StreamID, _ sequence: UInt64, reason: String, now: Double) -> [Action] {
        // Only a refusal of something sent in this session counts, and only the first one.
        guard var state = outbound[stream], !state.rejected, sequence <= state.highestSent,
            sequence > peerHas[stream] ?? 0
        else { return [] }
        state.rejected = true
        if Self.mayPassLater(reason) { state.retryAt = now + configuration.resendTimeout }
        inFlightBytes -= state.releaseAllInFlight()
        state.queue = []
        outbound[stream] = state
        return [.peerRejected(stream, sequence: sequence, reason: reason)] + pump(now: now)
    }

    /// Whether a peer's refusal may pass when the same batch is sent again later: the batch was
    /// refused only for the future bound (its clock is ahead of the peer's by more than the
    /// policy allows, as ``AccordNode/BatchAdmission`` and `HybridClock.observe` word it), which
    /// time or a corrected clock ends. Any other refusal stands for the session.
    public static func mayPassLater(_ reason: String) -> Bool { reason.contains("ms in the future, over the bound of")
        || reason.contains("ms ahead, over the bound of") }

    /// Streams refused for a reason that may pass whose retry time came: sent again, from what
    /// the peer holds (the peer checks the batch again; refused again, the stream waits again).
    mutating func retryRefused(now: Double) {
        for stream in order {
            guard var state = outbound[stream], state.rejected, let retryAt = state.retryAt, now >= retryAt else { continue }
            state.rejected = false
            state.retryAt = nil
            state.sentUpTo = peerHas[stream] ?? 0
            state.queue = []
            state.stalled = false
            outbound[stream] = state
        }
    }

    mutating func handleSummary(_ vector: [StreamHead], now: Double) -> [Action] {
        for head in vector { notePeerHas(head.stream, head.sequence) }
        for stream in order {
            guard var state = outbound[stream], !state.inFlight.isEmpty else { continue }
            let held = peerHas[stream] ?? 0
            inFlightBytes -= state.releaseInFlight(through: held)
            // Still unacknowledged long after sending, and the peer says it does not hold it:
            // taken as lost. Send again from what the peer holds.
            if let oldest = state.inFlight.first, now - oldest.sentAt >= configuration.resendTimeout {
                inFlightBytes -= state.releaseAllInFlight()
                state.sentUpTo = held
                state.queue = []
            }
            outbound[stream] = state
        }
        return [.peerVectorKnown(vector)] + pump(now: now)
    }

    /// Sends what the window allows, one batch per stream per round, and asks the node for more
    /// batches of streams whose queue ran dry.
    mutating func pump(now: Double) -> [Action] {
        guard isEstablished, !order.isEmpty else { return [] }
        var actions: [Action] = []
        // Round-robin: start after the stream that sent last.
        let start = cursor % order.count
        var progress = true
        var blocked = false
        while progress && !blocked {
            progress = false
            for offset in 0..<order.count {
                let index = (start + offset) % order.count
                let stream = order[index]
                guard var state = outbound[stream], !state.rejected else { continue }
                let held = peerHas[stream] ?? 0
                var next = max(state.sentUpTo, held) + 1
                while let first = state.queue.first, first.sequence < next { state.queue.removeFirst() }
                if let first = state.queue.first, next <= state.target {
                    if first.sequence != next {
                        state.queue = []
                    } else if inFlightBytes > 0 && inFlightBytes + first.frameBytes > configuration.maxInFlightBytes {
                        blocked = true
                    } else {
                        state.queue.removeFirst()
                        actions.append(.send(.batch(first.batch)))
                        state.inFlight.append(.init(sequence: next, bytes: first.frameBytes, sentAt: now))
                        inFlightBytes += first.frameBytes
                        state.sentUpTo = next
                        state.highestSent = max(state.highestSent, next)
                        next += 1
                        progress = true
                        cursor = index + 1
                    }
                }
                if state.queue.isEmpty && state.loadingAfter == nil && !state.stalled && next <= state.target {
                    state.loadingAfter = next - 1
                    state.loadingVersion = state.targetVersion
                    actions.append(.loadBatches(stream, after: next - 1, limit: configuration.maxBatchesPerRequest))
                }
                outbound[stream] = state
                if blocked { break }
            }
        }
        return actions
    }
}

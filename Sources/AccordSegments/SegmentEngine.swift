import Dispatch
import Synchronization

/// Why a profile that matches a filter is left out of an audience: effective consent for the asking
/// unit, channel and purpose does not allow contact, or there is no way to reach the person on the
/// channel. The first reason that applies counts, in this order.
public enum ExclusionReason: String, Sendable, CaseIterable {
    /// A company-wide do-not-contact.
    case doNotContact = "do-not-contact"
    /// The latest decision covering the unit is an opt-out.
    case optOut = "opt-out"
    /// No current decision, and one expired.
    case expiredConsent = "expired-consent"
    /// No decision covering the unit at all.
    case noConsent = "no-consent"
    /// No value the unit may see for the channel (no e-mail address for channel email, ...).
    case noContactPoint = "no-contact-point"
}

/// The result of running a filter for one unit, channel and purpose.
public struct SegmentOutcome: Sendable, Equatable {
    /// Profiles matching the filter, before consent.
    public var matched: Int
    /// Rows of the audience (matching, contact allowed, reachable), in table order.
    public var audience: [Int32]
    /// Matching profiles left out, by reason.
    public var excluded: [ExclusionReason: Int]
    /// Left out by an opt-out on this channel while still allowed on another channel for the purpose ("cross-opt").
    public var crossOpt: Int
    /// In the audience with an agreed frequency limit ("opt-down").
    public var optDown: Int
}

/// Runs compiled filters over a ``SegmentTable``: each predicate becomes a closure over the table's
/// arrays (string tests are decided once per distinct value), and rows are split over the cores.
public enum SegmentEngine {
    /// A compiled filter: row index to whether it matches.
    public typealias Predicate = @Sendable (Int) -> Bool

    /// Compiles a filter for a table.
    /// - Parameters:
    ///   - expression: a filter parsed against the asking unit's vocabulary.
    ///   - table: the table built for that unit.
    ///   - asOf: the time "within N days" counts back from, milliseconds since 1970.
    public static func compile(_ expression: SegmentExpression, table: SegmentTable, asOf: Int64) -> Predicate {
        switch expression {
        case .and(let a, let b):
            let (left, right) = (compile(a, table: table, asOf: asOf), compile(b, table: table, asOf: asOf))
            return { left($0) && right($0) }
        case .or(let a, let b):
            let (left, right) = (compile(a, table: table, asOf: asOf), compile(b, table: table, asOf: asOf))
            return { left($0) || right($0) }
        case .not(let a):
            let inner = compile(a, table: table, asOf: asOf)
            return { !inner($0) }
        case .stage(let names, let negated):
            var marks = [Bool](repeating: false, count: 256)
            for name in names { if let index = table.stageNames.firstIndex(of: name) { marks[index] = true } }
            let (wanted, stages) = (marks, table.stages)
            if negated { return { row in !wanted[Int(stages[row])] } }
            return { row in wanted[Int(stages[row])] }
        case .knownTo(let names):
            var bits: UInt64 = 0
            for name in names { if let bit = table.unitNames.firstIndex(of: name) { bits |= 1 << UInt64(bit) } }
            let (mask, units) = (bits, table.units)
            return { units[$0] & mask != 0 }
        case .consent(let channel, let purpose):
            guard let column = table.consent[ConsentKey(channel: channel, purpose: purpose)] else { return { _ in false } }
            return { column[$0] & ~SegmentTable.limitedFlag == ConsentStatus.allowed.rawValue }
        case .interaction(let type, let channel, let days):
            let typeCode = type.map { name in table.interactionTypes.firstIndex(of: name).map { Int($0) } ?? -1 }
            let channelCode = channel.map { name in table.interactionChannels.firstIndex(of: name).map { Int($0) } ?? -1 }
            if typeCode == -1 || channelCode == -1 { return { _ in false } }
            let since = days.map { asOf - Int64($0) * LifecycleEvaluator.dayMillis } ?? Int64.min
            let (offsets, types, channels, times) = (table.interactionOffsets, table.interactionType, table.interactionChannel, table.interactionAt)
            return { row in
                for i in Int(offsets[row])..<Int(offsets[row + 1]) where times[i] >= since && times[i] <= asOf {
                    if let typeCode, Int(types[i]) != typeCode { continue }
                    if let channelCode, Int(channels[i]) != channelCode { continue }
                    return true
                }
                return false
            }
        case .attribute(let name, let test):
            guard let column = table.attributes[name] else {
                if case .notEquals = test { return { _ in true } }
                return { _ in false }
            }
            let (offsets, codes) = (column.offsets, column.codes)
            if case .exists = test { return { offsets[$0 + 1] > offsets[$0] } }
            let matches: [Bool]
            let negate: Bool
            switch test {
            case .equals(let text): (matches, negate) = (column.dictionary.map { $0 == text.lowercased() }, false)
            case .notEquals(let text): (matches, negate) = (column.dictionary.map { $0 == text.lowercased() }, true)
            case .contains(let text): (matches, negate) = (column.dictionary.map { $0.contains(text.lowercased()) }, false)
            case .prefix(let text): (matches, negate) = (column.dictionary.map { $0.hasPrefix(text.lowercased()) }, false)
            case .exists: (matches, negate) = ([], false)
            }
            let any: Predicate = { row in
                for i in Int(offsets[row])..<Int(offsets[row + 1]) where matches[Int(codes[i])] { return true }
                return false
            }
            if negate { return { row in !any(row) } }
            return any
        }
    }

    /// Runs a filter with consent applied for the asking unit, channel and purpose.
    /// - Parameters:
    ///   - predicate: the compiled filter.
    ///   - table: the table it was compiled for.
    ///   - channel: the channel the audience is for.
    ///   - purpose: the purpose.
    ///   - contactAttributes: the attributes that reach the person on the channel (an e-mail
    ///     address for `email`); `nil` when the channel needs none.
    ///   - threads: how many threads share the rows.
    public static func run(_ predicate: @escaping Predicate, table: SegmentTable, channel: String, purpose: String,
                           contactAttributes: [String]?, threads: Int = 2) -> SegmentOutcome {
        let key = ConsentKey(channel: channel, purpose: purpose)
        let consent = table.consent[key] ?? [UInt8](repeating: ConsentStatus.none.rawValue, count: table.count)
        let others = table.consent.filter { $0.key.purpose == purpose && $0.key.channel != channel }.sorted { $0.key < $1.key }.map(\.value)
        let contacts = (contactAttributes ?? []).compactMap { table.attributes[$0]?.offsets }
        let needsContact = contactAttributes != nil
        let count = table.count
        let chunks = max(1, min(threads, count / 50_000 + 1))
        let parts = Parts(chunks)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            var part = Part()
            let start = count * chunk / chunks, end = count * (chunk + 1) / chunks
            for row in start..<end where predicate(row) {
                part.matched += 1
                let byte = consent[row]
                let status = ConsentStatus(rawValue: byte & ~SegmentTable.limitedFlag) ?? .none
                let reason: ExclusionReason?
                switch status {
                case .allowed:
                    reason = needsContact && !contacts.contains(where: { $0[row + 1] > $0[row] }) ? .noContactPoint : nil
                case .optOut:
                    reason = .optOut
                    if others.contains(where: { $0[row] & ~SegmentTable.limitedFlag == ConsentStatus.allowed.rawValue }) { part.crossOpt += 1 }
                case .doNotContact: reason = .doNotContact
                case .expired: reason = .expiredConsent
                case .none: reason = .noConsent
                }
                if let reason {
                    part.excluded[Int(ExclusionReason.allCases.firstIndex(of: reason)!)] += 1
                } else {
                    part.audience.append(Int32(row))
                    if byte & SegmentTable.limitedFlag != 0 { part.optDown += 1 }
                }
            }
            parts.set(chunk, part)
        }
        var outcome = SegmentOutcome(matched: 0, audience: [], excluded: [:], crossOpt: 0, optDown: 0)
        for part in parts.all {
            outcome.matched += part.matched
            outcome.audience += part.audience
            outcome.crossOpt += part.crossOpt
            outcome.optDown += part.optDown
            for (index, reason) in ExclusionReason.allCases.enumerated() where part.excluded[index] > 0 {
                outcome.excluded[reason, default: 0] += part.excluded[index]
            }
        }
        return outcome
    }

    private struct Part: Sendable {
        var matched = 0
        var audience: [Int32] = []
        var excluded = [Int](repeating: 0, count: ExclusionReason.allCases.count)
        var crossOpt = 0
        var optDown = 0
    }

    /// Per-chunk results, each written once by its worker.
    private final class Parts: Sendable {
        private let slots: Mutex<[Part]>
        init(_ count: Int) { slots = Mutex([Part](repeating: Part(), count: count)) }
        func set(_ index: Int, _ part: Part) { slots.withLock { $0[index] = part } }
        var all: [Part] { slots.withLock { $0 } }
    }
}

import AccordLedger
import AccordPolicy
import AccordCrypto
import AccordModel
import AccordStore

/// What ``Node/verify()`` found: a store is sound when ``problems`` is empty.
public struct VerificationReport: Sendable {
    /// SQLite's `integrity_check` answer (`ok` when the file is sound).
    public var integrity: String
    /// Streams checked.
    public var streams = 0
    /// Batches checked.
    public var batches = 0
    /// Leaves whose writes were checked against the stored states (redacted leaves are skipped).
    public var leavesChecked = 0
    /// Redacted leaves seen.
    public var leavesRedacted = 0
    /// What is wrong, each naming the stream, batch or record (never values); empty when sound.
    public var problems: [String] = []

    /// Whether nothing is wrong.
    public var isSound: Bool { problems.isEmpty && integrity == "ok" }
}

extension Node {
    /// Checks everything the store holds, as the crash audits and an operator after an incident
    /// need it: SQLite's integrity check; every stream gap-free from 1 to its head, each batch
    /// linked to the one before, its leaf count right and signed by its author's key from the
    /// policy; and no batch half-applied: every change of every stored (not redacted) leaf is
    /// reflected in the author's state on that record, at that clock reading or a later one.
    /// - Parameter maxProblems: stop listing problems after this many (the count still grows).
    /// - Throws: ``NodeError`` `.storage` when the store cannot be read at all.
    public func verify(maxProblems: Int = 100) throws -> VerificationReport {
        do {
            var report = VerificationReport(integrity: try store.integrityCheck())
            var problems = ProblemList(limit: maxProblems)
            func problem(_ text: String) { problems.add(text) }
            for head in try store.streamHeads() {
                report.streams += 1
                let member = policy.unit(head.stream.author.rawValue)
                var previous = StreamHead.zeroHash
                var expected: UInt64 = 1
                while true {
                    let batches = try store.batches(in: head.stream, after: expected - 1, limit: 128)
                    guard !batches.isEmpty else { break }
                    for batch in batches {
                        report.batches += 1
                        if batch.header.sequence != expected {
                            problem("\(head.stream): batch #\(expected) is missing (next stored is #\(batch.header.sequence))")
                        } else if batch.header.previousHash != previous {
                            problem("\(batch.describe) does not link to the stored batch before it")
                        }
                        // The key the author signed with under the batch's policy version (keys rotate).
                        if let raw = member?.signingKey(forPolicyVersion: batch.header.policyVersion),
                           let key = try? Ed25519PublicKey(rawRepresentation: raw) {
                            do { _ = try batch.verified(with: key) } catch { problem("\(batch.describe): \(error)") }
                        } else {
                            problem("\(batch.describe): the policy holds no signing key for \(head.stream.author)")
                        }
                        try checkApplied(batch, into: &report, &problems)
                        previous = batch.hash
                        expected = batch.header.sequence + 1
                    }
                }
                if expected - 1 != head.sequence {
                    problem("\(head.stream): the head says #\(head.sequence) but the last stored batch is #\(expected - 1)")
                } else if head.sequence > 0, head.hash != previous {
                    problem("\(head.stream): the head's hash is not the hash of its last batch")
                }
            }
            report.problems = problems.listed
            if problems.count > problems.listed.count {
                report.problems.append("... and \(problems.count - problems.listed.count) more")
            }
            return report
        } catch let error as NodeError {
            throw error
        } catch {
            throw NodeError(.storage, "cannot verify the store", cause: error)
        }
    }

    /// Whether retention may have removed this value from the states (an interaction past its
    /// type's retention), so its absence is not a half-applied batch.
    private func removedByRetention(_ value: Value?, now: UInt64) -> Bool {
        guard case .interaction(let event)? = value, let days = policy.interactions?.retentionDays[event.type] else { return false }
        return Retention.isExpired(event, days: days, now: Int64(now))
    }

    /// Checks that every change of every stored leaf of `batch` is in its author's state.
    private func checkApplied(_ batch: Batch, into report: inout VerificationReport, _ problems: inout ProblemList) throws {
        let author = batch.stream.author
        let now = self.now()
        for (index, leaf) in batch.leaves.enumerated() {
            let write: RecordWrite?
            do {
                write = try leaf.recordWrite()
            } catch {
                problems.add("\(batch.describe): leaf \(index) does not decode")
                continue
            }
            guard let write else {
                report.leavesRedacted += 1
                continue
            }
            report.leavesChecked += 1
            let state = try store.recordState(write.record, author: author)
            for change in write.changes where !removedByRetention(change.value, now: now) {
                guard let register = state?.register(change.attribute), register.hlc >= write.hlc else {
                    problems.add("\(batch.describe): leaf \(index) (record \(write.record)) is not applied: \(change.attribute) by \(author) is missing or older")
                    break
                }
            }
        }
    }
}

/// Problems found, the first `limit` of them kept.
private struct ProblemList {
    let limit: Int
    private(set) var listed: [String] = []
    private(set) var count = 0

    init(limit: Int) { self.limit = limit }

    mutating func add(_ text: String) {
        count += 1
        if listed.count < limit { listed.append(text) }
    }
}

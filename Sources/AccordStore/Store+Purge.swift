public import AccordModel
import AccordLedger
import AccordSQLite

/// What a purge removed.
public struct PurgeReport: Equatable, Sendable {
    /// Batches deleted.
    public var batches = 0
    /// Registers (entries) deleted from record states.
    public var entries = 0

    /// Creates a report.
    public init(batches: Int = 0, entries: Int = 0) {
        self.batches = batches
        self.entries = entries
    }
}

/// A share class the node purged because a policy removed it from the class's audience.
public struct PurgedClass: Equatable, Sendable {
    /// The class.
    public var shareClass: String
    /// The policy version that removed the node from its audience.
    public var policyVersion: Int
    /// When, milliseconds since 1970.
    public var atMillis: Int64

    /// Creates a record of a purge.
    public init(shareClass: String, policyVersion: Int, atMillis: Int64) {
        self.shareClass = shareClass
        self.policyVersion = policyVersion
        self.atMillis = atMillis
    }
}

extension Store {
    /// Removes every entry of `classes` that another unit authored: their batches, stream heads and
    /// registers, in one transaction, and records the purge (``purgedClasses()``). What this store's
    /// own unit authored stays.
    /// - Parameters:
    ///   - classes: the share classes to purge.
    ///   - classOf: the share class of an attribute under the new policy.
    ///   - policyVersion: the version that removed this unit from the classes' audience.
    ///   - now: the wall clock in milliseconds since 1970.
    public func purge(classes: Set<String>, classOf: (AttributeName) -> String?, policyVersion: Int, now: UInt64) throws -> PurgeReport {
        let own = try requireUnit()
        guard !classes.isEmpty else { return PurgeReport() }
        return try wrap("purge share classes") {
            try database.transaction {
                var report = PurgeReport()
                for name in classes.sorted() {
                    let deleteBatches = try database.prepare("DELETE FROM batches WHERE share_class = ? AND author != ?")
                    try deleteBatches.bind(name, at: 1)
                    try deleteBatches.bind(own.rawValue, at: 2)
                    try deleteBatches.run()
                    report.batches += database.changes
                    let deleteStreams = try database.prepare("DELETE FROM streams WHERE share_class = ? AND author != ?")
                    try deleteStreams.bind(name, at: 1)
                    try deleteStreams.bind(own.rawValue, at: 2)
                    try deleteStreams.run()
                    try setMeta("purged:\(name)", text: "\(policyVersion) \(now)")
                }
                report.entries = try removeRegistersInTransaction { _, author, attribute, _ in
                    author != own && classOf(attribute).map { classes.contains($0) } == true
                }
                return report
            }
        }
    }

    /// Forgets earlier purges of classes the node receives again.
    public func forgetPurges(of classes: Set<String>) throws {
        try wrap("update purges") {
            try database.transaction {
                let statement = try database.prepare("DELETE FROM meta WHERE key = ?")
                for name in classes {
                    try statement.bind("purged:\(name)", at: 1)
                    try statement.run()
                }
            }
        }
    }

    /// The share classes this node purged, with the policy version that removed it from their audience.
    public func purgedClasses() throws -> [PurgedClass] {
        try wrap("read purges") {
            let statement = try database.prepare("SELECT key, value FROM meta WHERE key LIKE 'purged:%' ORDER BY key")
            return try statement.rows { row in
                let name = String(row.text(at: 0).dropFirst("purged:".count))
                let parts = String(decoding: row.blob(at: 1), as: UTF8.self).split(separator: " ")
                return PurgedClass(shareClass: name, policyVersion: parts.first.flatMap { Int($0) } ?? 0,
                                   atMillis: parts.count > 1 ? Int64(parts[1]) ?? 0 : 0)
            }
        }
    }
}

public import AccordLedger
import AccordModel
public import AccordStore
import Foundation

/// What `accord restore` did.
public struct RestoreOutcome: Sendable {
    /// What the backup held.
    public var backup: BackupInfo
    /// Where the database that was in place went (kept, never deleted), if there was one.
    public var setAside: String?
}

/// How far a restored node is in recovering its own streams from its peers.
public struct RecoveryProgress: Sendable, Equatable {
    /// One of the unit's own streams that a peer holds further than the node.
    public struct Behind: Sendable, Equatable {
        /// The stream.
        public var stream: StreamID
        /// The node's head.
        public var held: UInt64
        /// The furthest head a peer announced.
        public var peerHolds: UInt64
        /// That peer.
        public var peer: String
    }

    /// When the node was restored and from what.
    public var mark: RecoveryMark
    /// Peers heard from since the restore.
    public var heard: [String]
    /// Configured peers not heard from since the restore.
    public var waitingFor: [String]
    /// Own streams a peer holds further than the node.
    public var behind: [Behind]

    /// Whether the node may take local writes again: at least one peer and every configured peer
    /// heard from since the restore, and none of them holds more of the unit's own streams.
    public var isComplete: Bool { !heard.isEmpty && waitingFor.isEmpty && behind.isEmpty }
}

extension Node {
    /// Backs the store up into a new file with SQLite's online backup API, also while `accord serve`
    /// runs (see ``AccordStore/Store/backup(to:now:)``). The signing key and `node.json` are not in it.
    public func backup(to path: String) throws -> BackupInfo {
        do {
            return try store.backup(to: path, now: now())
        } catch {
            throw NodeError(.storage, "cannot back up the store", cause: error)
        }
    }

    /// Replaces a stopped node's store with a backup of the same unit. The database in place is
    /// kept beside it (`<database>.before-restore-<millis>`); the restored store refuses local
    /// writes until it has recovered the unit's own streams from its peers
    /// (``recoveryProgress(peers:)``), so no sequence number is used twice.
    /// - Parameters:
    ///   - directory: the node directory.
    ///   - backupPath: a file made by `accord backup`.
    ///   - now: the wall clock.
    /// - Throws: ``NodeError`` `.notAllowed` for a backup of another unit, from a newer schema, or
    ///   while the node serves; `.storage` when a file cannot be read or moved.
    public static func restore(directory: String, from backupPath: String, now: UInt64 = Node.wallClock()) throws -> RestoreOutcome {
        let configPath = resolve("node.json", in: directory)
        guard FileManager.default.fileExists(atPath: configPath) else {
            throw NodeError(.notANode, "\(directory) is not an Accord node (no node.json); create one with `accord init` first")
        }
        let config = try NodeConfig.load(contentsOf: configPath)
        let info: BackupInfo
        do {
            info = try Store.inspectBackup(at: backupPath)
        } catch {
            throw NodeError(.storage, "cannot use \(backupPath) as a backup", cause: error)
        }
        guard let backupUnit = info.unit, backupUnit.rawValue == config.unit else {
            throw NodeError(.notAllowed, "\(backupPath) is a backup of unit \(info.unit?.rawValue ?? "(none)"), not of \(config.unit)")
        }
        guard info.schemaVersion <= Store.schemaVersion else {
            throw NodeError(.notAllowed, "\(backupPath) has schema version \(info.schemaVersion); this build reads up to "
                + "\(Store.schemaVersion): restore it with a newer accord")
        }
        if let data = FileManager.default.contents(atPath: resolve("run/peers.json", in: directory)),
           let snapshot = try? JSONDecoder().decode(ServeSnapshot.self, from: data),
           now < snapshot.writtenAtMillis + 5_000, kill(snapshot.pid, 0) == 0 {
            throw NodeError(.notAllowed, "accord serve is running for this node (pid \(snapshot.pid)); stop it before restoring")
        }
        let database = resolve(config.database, in: directory)
        let incoming = database + ".restoring"
        let files = FileManager.default
        do {
            try? files.removeItem(atPath: incoming)
            try files.copyItem(atPath: backupPath, toPath: incoming)
            try files.setAttributes([.posixPermissions: 0o600], ofItemAtPath: incoming)
            let store = try Store(path: incoming)
            try store.beginRecovery(now: now, backupTakenAtMillis: info.takenAtMillis ?? 0)
        } catch {
            try? files.removeItem(atPath: incoming)
            throw NodeError(.storage, "cannot prepare the restored store at \(incoming)", cause: error)
        }
        var setAside: String?
        if files.fileExists(atPath: database) {
            let aside = database + ".before-restore-\(now)"
            for suffix in ["", "-wal", "-shm"] where files.fileExists(atPath: database + suffix) {
                guard rename(database + suffix, aside + suffix) == 0 else {
                    throw NodeError(.storage, "cannot move \(database + suffix) aside: \(String(cString: strerror(errno)))")
                }
            }
            setAside = aside
        }
        for suffix in ["-wal", "-shm"] { try? files.removeItem(atPath: incoming + suffix) }
        guard rename(incoming, database) == 0 else {
            throw NodeError(.storage, "cannot move the restored store into \(database): \(String(cString: strerror(errno)))")
        }
        return RestoreOutcome(backup: info, setAside: setAside)
    }

    /// How far a restored node is in recovering its own streams, judged from what its peers
    /// announced (`nil` when the node is not recovering).
    /// - Parameter peers: the serving peers' status (``SyncService/peerStatus()``).
    public func recoveryProgress(peers: [PeerStatus]) throws -> RecoveryProgress? {
        let mark: RecoveryMark?
        let heads: [StreamHead]
        do {
            mark = try store.recovery()
            heads = mark == nil ? [] : try store.streamHeads()
        } catch {
            throw NodeError(.storage, "cannot read the recovery state", cause: error)
        }
        guard let mark else { return nil }
        let held = Dictionary(heads.map { ($0.stream, $0.sequence) }, uniquingKeysWith: max)
        let recent = peers.filter { $0.lastContactMillis >= mark.restoredAtMillis }
        let heard = Set(recent.map(\.unit))
        var behind: [StreamID: RecoveryProgress.Behind] = [:]
        for peer in recent {
            for head in peer.vector where head.stream.author == unit {
                let have = held[head.stream] ?? 0
                guard head.sequence > have, head.sequence > behind[head.stream]?.peerHolds ?? 0 else { continue }
                behind[head.stream] = RecoveryProgress.Behind(stream: head.stream, held: have, peerHolds: head.sequence, peer: peer.unit)
            }
        }
        return RecoveryProgress(
            mark: mark, heard: heard.sorted(), waitingFor: config.peers.map(\.unit).filter { !heard.contains($0) }.sorted(),
            behind: behind.values.sorted { $0.stream < $1.stream })
    }

    /// Ends recovery after a restore: local writes continue the own streams from their heads.
    /// Called by `accord serve` once ``RecoveryProgress/isComplete``, or by `accord restore --finish`.
    public func finishRecovery() throws {
        do {
            try store.finishRecovery()
        } catch {
            throw NodeError(.storage, "cannot end recovery", cause: error)
        }
    }
}

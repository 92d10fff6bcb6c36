extension EntryCodec {
    /// Appends an erasure request (after its tag): time, records, salt, identifier hashes, reference.
    static func writeErasureRequest(_ request: ErasureRequest, to writer: inout BinaryWriter) {
        writer.writeInt64(request.requestedAtMillis)
        writeRecords(request.records, to: &writer)
        writer.writeRaw(request.salt)
        writer.writeVarint(UInt64(request.identifierHashes.count))
        for hash in request.identifierHashes { writer.writeRaw(hash) }
        writer.writeString(request.reference)
    }

    /// Reads an erasure request written by ``writeErasureRequest(_:to:)``, refusing unsorted or
    /// repeated records and hashes.
    static func readErasureRequest(from reader: inout BinaryReader) throws -> ErasureRequest {
        let at = try reader.readInt64("request time")
        let records = try readRecords(from: &reader, "erased record")
        let salt = try reader.readRaw(ErasureRequest.saltLength, "erasure salt")
        let count = try reader.readCount("identifier hash count", minElementBytes: ErasureRequest.hashLength)
        var hashes: [[UInt8]] = []
        hashes.reserveCapacity(count)
        for _ in 0..<count {
            let offset = reader.offset
            let hash = try reader.readRaw(ErasureRequest.hashLength, "identifier hash")
            if let last = hashes.last, !last.lexicographicallyPrecedes(hash) {
                throw ModelError(.malformed, "identifier hashes must be sorted and unique", offset: offset)
            }
            hashes.append(hash)
        }
        let reference = try reader.readString("erasure reference")
        return ErasureRequest(checkedAt: at, records: records, salt: salt, identifierHashes: hashes, reference: reference)
    }

    /// Appends an acknowledgement (after its tag): time, records, counts, holds.
    static func writeErasureAcknowledgement(_ acknowledgement: ErasureAcknowledgement, to writer: inout BinaryWriter) {
        writer.writeInt64(acknowledgement.erasedAtMillis)
        writeRecords(acknowledgement.records, to: &writer)
        writer.writeVarint(acknowledgement.entriesRemoved)
        writer.writeVarint(acknowledgement.leavesRedacted)
        writer.writeVarint(UInt64(acknowledgement.holds.count))
        for hold in acknowledgement.holds { writer.writeString(hold) }
    }

    /// Reads an acknowledgement written by ``writeErasureAcknowledgement(_:to:)``.
    static func readErasureAcknowledgement(from reader: inout BinaryReader) throws -> ErasureAcknowledgement {
        let at = try reader.readInt64("erasure time")
        let records = try readRecords(from: &reader, "erased record")
        let entries = try reader.readVarint("entries removed")
        let leaves = try reader.readVarint("leaves redacted")
        let count = try reader.readCount("hold count")
        var holds: [String] = []
        holds.reserveCapacity(count)
        for _ in 0..<count {
            let offset = reader.offset
            let hold = try reader.readString("legal hold")
            if let last = holds.last, !Identifier.less(last, hold) {
                throw ModelError(.malformed, "legal holds must be sorted and unique", offset: offset)
            }
            holds.append(hold)
        }
        return ErasureAcknowledgement(checkedAt: at, records: records, entriesRemoved: entries, leavesRedacted: leaves, holds: holds)
    }

    private static func writeRecords(_ records: [RecordKey], to writer: inout BinaryWriter) {
        writer.writeVarint(UInt64(records.count))
        for record in records {
            writer.writeString(record.unit.rawValue)
            writer.writeString(record.localId)
        }
    }

    private static func readRecords(from reader: inout BinaryReader, _ what: String) throws -> [RecordKey] {
        let count = try reader.readCount("\(what) count", minElementBytes: 3)
        var records: [RecordKey] = []
        records.reserveCapacity(count)
        for _ in 0..<count {
            let offset = reader.offset
            let unit = try readUnit(&reader, "\(what) unit")
            let localId = try reader.readString("\(what) local id")
            guard Identifier.isValidLocalId(localId) else {
                throw ModelError(.malformed, "local id must be 1-128 bytes without control characters", offset: offset)
            }
            let record = RecordKey(unchecked: unit, localId: localId)
            if let last = records.last, !(last < record) {
                throw ModelError(.malformed, "\(what)s must be sorted and unique", offset: offset)
            }
            records.append(record)
        }
        return records
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An error writing sample data.
public struct SampleDataError: Error, CustomStringConvertible, Equatable {
    /// The kind of error.
    public struct Code: Hashable, Sendable {
        private enum Base: Hashable, Sendable { case cannotWrite }
        private let base: Base
        private init(_ base: Base) { self.base = base }
        /// The output file could not be created or written.
        public static let cannotWrite = Code(.cannotWrite)
    }

    /// What kind of error.
    public let code: Code
    /// What was wrong and where.
    public let message: String
    /// Source file of the throw site.
    public let file: String
    /// Source line of the throw site.
    public let line: UInt

    init(_ code: Code, _ message: String, file: String = #fileID, line: UInt = #line) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
    }

    /// The message.
    public var description: String { message }

    /// Compares codes only.
    public static func == (lhs: SampleDataError, rhs: SampleDataError) -> Bool { lhs.code == rhs.code }
}

extension SamplePopulation {
    /// Writes a unit's records as CSV (header ``csvHeader``, LF line ends, RFC 4180 quoting).
    /// - Parameters:
    ///   - unit: the unit name.
    ///   - coverage: share of persons the unit holds.
    ///   - noise: share of noisy records.
    ///   - path: output file (replaced).
    ///   - limit: stop after this many rows.
    /// - Returns: the number of data rows written.
    /// - Throws: ``SampleDataError`` `.cannotWrite`.
    @discardableResult
    public func writeCSV(unit: String, coverage: Double, noise: Double, to path: String, limit: Int? = nil) throws -> Int {
        guard let file = fopen(path, "wb") else {
            throw SampleDataError(.cannotWrite, "cannot create \(path): \(String(cString: strerror(errno)))")
        }
        defer { fclose(file) }
        var out: [UInt8] = []
        out.reserveCapacity(1 << 20 + 4096)
        func flush() throws {
            let written = out.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, file) }
            guard written == out.count else {
                throw SampleDataError(.cannotWrite, "cannot write \(path): \(String(cString: strerror(errno)))")
            }
            out.removeAll(keepingCapacity: true)
        }
        func append(_ field: String) {
            var needsQuotes = false
            for b in field.utf8 where b == UInt8(ascii: ",") || b == UInt8(ascii: "\"") || b == 0x0A || b == 0x0D {
                needsQuotes = true
                break
            }
            if !needsQuotes {
                out.append(contentsOf: field.utf8)
                return
            }
            out.append(UInt8(ascii: "\""))
            for b in field.utf8 {
                out.append(b)
                if b == UInt8(ascii: "\"") { out.append(b) }
            }
            out.append(UInt8(ascii: "\""))
        }
        for (i, name) in Self.csvHeader.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            append(name)
        }
        out.append(0x0A)
        var rows = 0
        for record in records(unit: unit, coverage: coverage, noise: noise) {
            if let limit, rows >= limit { break }
            append(record.localId)
            for value in record.values {
                out.append(UInt8(ascii: ","))
                append(value)
            }
            out.append(0x0A)
            rows += 1
            if out.count >= 1 << 20 { try flush() }
        }
        try flush()
        return rows
    }
}
